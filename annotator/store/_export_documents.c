/* What the export's reader makes of a document's rows, once copied (store/_export_links.c): the text of its
 * relations as canonical JSONL writes them, or its spans' attribute values as the dicts the line holds; and the
 * span ids they are kept for. */
#include "_export_links.h"


static int compare_refs(const void *a, const void *b)
{
    const bytes_ref *x = a, *y = b;
    return compare_bytes(x->p, x->n, y->p, y->n);
}

#define FEW_IDS 16 /* up to this many, looked for one by one; more, sorted and searched by halves */

/* ``ids`` (a list, or any iterable: a span's id each) as UTF-8, sorted when there are more than FEW_IDS; held by
 * ``*seq``, which the caller releases after the last lookup */
bytes_ref *id_refs(PyObject *ids, PyObject **seq, Py_ssize_t *count)
{
    *seq = PySequence_Fast(ids, "the span ids are a list of strings");
    if (*seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(*seq), i = 0;
    PyObject **items = PySequence_Fast_ITEMS(*seq);
    bytes_ref *refs = PyMem_Malloc(sizeof(bytes_ref) * (size_t)(n ? n : 1));
    if (refs == NULL) {
        Py_CLEAR(*seq);
        return (bytes_ref *)PyErr_NoMemory();
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        if (!PyUnicode_CheckExact(items[k]))
            continue; /* never a span's id: matches nothing */
        Py_ssize_t len;
        const char *p = PyUnicode_AsUTF8AndSize(items[k], &len);
        if (p == NULL) { /* a lone surrogate: no UTF-8, so no stored id equals it */
            PyErr_Clear();
            continue;
        }
        refs[i].p = p;
        refs[i].n = (size_t)len;
        i++;
    }
    if (i > FEW_IDS)
        qsort(refs, (size_t)i, sizeof(bytes_ref), compare_refs);
    *count = i;
    return refs;
}

static int kept(const bytes_ref *ids, Py_ssize_t n, const char *p, int len)
{
    if (n > FEW_IDS) {
        bytes_ref want = {p, (size_t)len};
        return bsearch(&want, ids, (size_t)n, sizeof(bytes_ref), compare_refs) != NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (ids[i].n == (size_t)len && memcmp(ids[i].p, p, (size_t)len) == 0)
            return 1;
    return 0;
}

/* qsort has no context argument everywhere: the document being sorted, under the GIL */
static const Follower *sorting;
static int sort_columns[2];

static int compare_rows(const void *a, const void *b)
{
    const row *x = a, *y = b;
    const char *text = sorting->text.data;
    for (int i = 0; i < 2; i++) {
        int k = sort_columns[i];
        int c = compare_bytes(text + x->off[k], (size_t)x->len[k], text + y->off[k], (size_t)y->len[k]);
        if (c)
            return c;
    }
    return 0;
}

static void sort_rows(Follower *f, int first, int second)
{
    sorting = f;
    sort_columns[0] = first;
    sort_columns[1] = second;
    size_t n = f->rows.used / sizeof(row);
    row *rows = (row *)f->rows.data;
    if (n > 24) /* a document's few rows (ten, mostly) by insertion: qsort's set-up costs more than the sort */
        qsort(rows, n, sizeof(row), compare_rows);
    else
        for (size_t i = 1; i < n; i++) {
            row r = rows[i];
            size_t j = i;
            for (; j > 0 && compare_rows(&rows[j - 1], &r) > 0; j--)
                rows[j] = rows[j - 1];
            rows[j] = r;
        }
    sorting = NULL;
}

/* kind 0: the relations' JSON text (put_relations' list as json.dumps writes it), or NULL with no error set when
 * the text is not UTF-8 (the tuples' decoding then says so) */
PyObject *relations_text(Follower *f, const bytes_ref *ids, Py_ssize_t nids)
{
    sort_rows(f, R_CREATED, R_ID); /* ids are unique (relations_by_id): a total order */
    static const char *const keys[] = {"{\"id\":", ",\"head\":", ",\"child\":", ",\"type\":", ",\"annotator\":",
                                       ",\"created\":", ",\"updated\":"};
    static const size_t key_lengths[] = {6, 8, 9, 8, 13, 11, 11};
    static const int columns[] = {R_ID, R_HEAD, R_CHILD, R_TYPE, R_WHO, R_CREATED, R_UPDATED};
    buffer *b = &f->out;
    b->used = 0;
    size_t n = f->rows.used / sizeof(row);
    const char *text = f->text.data;
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        const row *r = (const row *)f->rows.data + i;
        if (!kept(ids, nids, text + r->off[R_HEAD], r->len[R_HEAD]) ||
            !kept(ids, nids, text + r->off[R_CHILD], r->len[R_CHILD]))
            continue;
        if (put(b, count++ ? "," : "[", 1) < 0)
            return PyErr_NoMemory();
        for (int k = 0; k < 7; k++)
            if (put(b, keys[k], key_lengths[k]) < 0 ||
                put_string(b, text + r->off[columns[k]], (size_t)r->len[columns[k]]) < 0)
                return PyErr_NoMemory();
        if (PUT_LITERAL(b, "}") < 0)
            return PyErr_NoMemory();
    }
    if (!count)
        return PyUnicode_New(0, 0);
    if (PUT_LITERAL(b, "]") < 0)
        return PyErr_NoMemory();
    PyObject *out = PyUnicode_DecodeUTF8(b->data, (Py_ssize_t)b->used, NULL);
    if (out == NULL && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError))
        PyErr_Clear();
    return out;
}

/* a stored attribute value (its JSON) as json.loads reads it, for the plain forms: a string without an escape or
 * a control character, a number of JSON's grammar, true, false, null. NULL with no error set for the rest. */
static PyObject *plain_value(const char *p, int n)
{
    if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
        for (int i = 1; i < n - 1; i++) {
            unsigned char c = (unsigned char)p[i];
            if (c < 0x20 || c == '"' || c == '\\')
                return NULL;
        }
        return text_of(p + 1, n - 2);
    }
    if (n == 4 && memcmp(p, "true", 4) == 0)
        Py_RETURN_TRUE;
    if (n == 5 && memcmp(p, "false", 5) == 0)
        Py_RETURN_FALSE;
    if (n == 4 && memcmp(p, "null", 4) == 0)
        Py_RETURN_NONE;
    /* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? : json's NUMBER_RE, read by int() or float() */
    int i = 0, fraction = 0;
    if (i < n && p[i] == '-')
        i++;
    if (i < n && p[i] == '0')
        i++;
    else if (i < n && p[i] >= '1' && p[i] <= '9')
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
    else
        return NULL;
    if (i < n && p[i] == '.') {
        fraction = 1;
        int start = ++i;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
        if (i == start)
            return NULL;
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        fraction = 1;
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-'))
            i++;
        int start = i;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
        if (i == start)
            return NULL;
    }
    if (i != n || n > 300)
        return NULL;
    char number[302];
    memcpy(number, p, (size_t)n);
    number[n] = '\0';
    if (!fraction)
        return PyLong_FromString(number, NULL, 10);
    double d = PyOS_string_to_double(number, NULL, NULL);
    if (d == -1.0 && PyErr_Occurred())
        return NULL;
    return PyFloat_FromDouble(d);
}

/* a str made of the bytes, the one made before when they are the same (most values share a name and a time) */
typedef struct {
    const char *p;
    int n;
    PyObject *str; /* borrowed from the dicts being made */
} memo;

static PyObject *memo_text(memo *m, const char *p, int n)
{
    if (m->str != NULL && m->n == n && memcmp(m->p, p, (size_t)n) == 0) {
        Py_INCREF(m->str);
        return m->str;
    }
    PyObject *s = text_of(p, n);
    if (s != NULL) {
        m->p = p;
        m->n = n;
        m->str = s;
    }
    return s;
}

/* kind 1: {span id: {name: {"value", "proposed", "updated"}}}, or NULL with no error set when a value is not plain
 * or a text not UTF-8 (the tuples then) */
PyObject *attribute_values(Follower *f, const bytes_ref *ids, Py_ssize_t nids)
{
    sort_rows(f, A_SPAN, A_NAME); /* (span_id, name) is unique (span_attributes_by_span) */
    PyObject *out = PyDict_New(), *values = NULL;
    if (out == NULL)
        return NULL;
    size_t n = f->rows.used / sizeof(row);
    const char *text = f->text.data;
    const row *previous = NULL;
    memo names = {NULL, 0, NULL}, times = {NULL, 0, NULL};
    for (size_t i = 0; i < n; i++) {
        const row *r = (const row *)f->rows.data + i;
        const char *span = text + r->off[A_SPAN];
        if (!kept(ids, nids, span, r->len[A_SPAN]))
            continue;
        if (previous == NULL || r->len[A_SPAN] != previous->len[A_SPAN] ||
            memcmp(span, text + previous->off[A_SPAN], (size_t)r->len[A_SPAN]) != 0) {
            PyObject *span_id = text_of(span, r->len[A_SPAN]);
            values = span_id ? PyDict_New() : NULL;
            int ok = values != NULL && PyDict_SetItem(out, span_id, values) == 0;
            Py_XDECREF(span_id);
            Py_XDECREF(values); /* out holds it */
            if (!ok)
                goto fail;
        }
        previous = r;
        PyObject *value = plain_value(text + r->off[A_VALUE], r->len[A_VALUE]);
        if (value == NULL)
            goto fail;
        PyObject *name = memo_text(&names, text + r->off[A_NAME], r->len[A_NAME]);
        PyObject *updated = memo_text(&times, text + r->off[A_UPDATED], r->len[A_UPDATED]);
        PyObject *v = name && updated ? PyDict_New() : NULL;
        int ok = v != NULL && PyDict_SetItem(v, s_value, value) == 0 &&
                 PyDict_SetItem(v, s_proposed, r->number ? Py_True : Py_False) == 0 &&
                 PyDict_SetItem(v, s_updated, updated) == 0 && PyDict_SetItem(values, name, v) == 0;
        Py_DECREF(value);
        Py_XDECREF(name);
        Py_XDECREF(updated);
        Py_XDECREF(v);
        if (!ok)
            goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    if (PyErr_ExceptionMatches(PyExc_UnicodeDecodeError) || !PyErr_Occurred())
        PyErr_Clear();
    return NULL;
}
