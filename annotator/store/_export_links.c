/* The canonical export's reviewers' relations and attribute values, read straight from SQLite (issue 14).
 *
 * A corpus of 100,000 articles has 1,000,000 relations and 300,000 attribute values. Read through Python's sqlite3
 * module each field is a Python object, each row a tuple, each document's rows a list grouped in Python, then a
 * Relation or a SpanAttribute, a dict and json.dumps: about 5 s of a 15 s export. Here the rows are stepped in C and
 * each document's are kept as bytes until they are written: its relations as the text of canonical JSONL's
 * ``relations`` array (what formats/canonical_links.put_relations and json.dumps write), its attribute values as the
 * dicts put_attributes puts on the spans. store/export_links.py is the Python side; store/bulk_export.py the export.
 *
 * The same SQLite, the same connection. The sqlite3_* functions are looked up at run time in the library Python's
 * sqlite3 module uses (dlopen of the _sqlite3 extension itself with RTLD_NOLOAD, then dlsym: its own symbols or
 * those of the libsqlite3 it links): a second copy of SQLite in the process would keep its own locks, which is how
 * databases get corrupted. The statement runs on the store's own connection (so in its transaction, on its
 * snapshot): its sqlite3* is the first field after PyObject_HEAD of CPython's pysqlite_Connection in 3.11 to 3.13
 * (there is no documented way to get it), checked against the file the connection says it has open. Where anything
 * is otherwise (another platform or Python, a symbol missing, another SQLite version than sqlite3.sqlite_version)
 * ``bind`` or ``follower`` say no and the export reads through Python, with the same bytes.
 *
 * Per document, the plain case only: every column of the store's declared type (text, the proposed flag an integer,
 * no tombstone), each attribute value a JSON string without an escape, a number, true, false or null. A document
 * with any other row gets its rows as the tuples Python's sqlite3 makes, for the Python path to write.
 *
 * bind(sqlite3_extension_file, sqlite_version, Connection) -> bool
 * follower(conn, filename, sql, params, kind) -> Follower, or None: ``sql`` selects RELATION_COLUMNS (kind 0) or
 *     ATTRIBUTE_COLUMNS (kind 1) ordered by doc_id (the second column), ``params`` strings to bind
 * Follower.take(doc_id, span_ids) -> the document's rows (doc ids are asked for in increasing order; rows of the
 *     documents before it are passed over): kind 0, the JSON text of its relations both of whose ends are in
 *     ``span_ids``, in (created, id) order ("" when none); kind 1, {span id: {name: {"value", "proposed",
 *     "updated"}}} for the spans in ``span_ids``, names in order; or, not plain, a list of row tuples (all of them).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if (defined(__linux__) || defined(__APPLE__)) && PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030E0000
#include <dlfcn.h>
#define CAN_BIND 1
#else
#define CAN_BIND 0
#endif

/* SQLite's ABI, declared here rather than from sqlite3.h (which a machine need not have): stable since 3.0 */
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
#define SQLITE_OK 0
#define SQLITE_ROW 100
#define SQLITE_DONE 101
#define SQLITE_INTEGER 1
#define SQLITE_FLOAT 2
#define SQLITE_TEXT 3
#define SQLITE_BLOB 4
#define SQLITE_NULL 5
#define SQLITE_TRANSIENT ((void (*)(void *))-1)

static struct {
    int (*prepare_v2)(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
    int (*step)(sqlite3_stmt *);
    int (*finalize)(sqlite3_stmt *);
    int (*bind_text)(sqlite3_stmt *, int, const char *, int, void (*)(void *));
    int (*column_count)(sqlite3_stmt *);
    int (*column_type)(sqlite3_stmt *, int);
    const unsigned char *(*column_text)(sqlite3_stmt *, int);
    int (*column_bytes)(sqlite3_stmt *, int);
    long long (*column_int64)(sqlite3_stmt *, int);
    double (*column_double)(sqlite3_stmt *, int);
    const void *(*column_blob)(sqlite3_stmt *, int);
    const char *(*errmsg)(sqlite3 *);
    const char *(*db_filename)(sqlite3 *, const char *);
    const char *(*libversion)(void);
    void *(*db_mutex)(sqlite3 *);
    void (*mutex_enter)(void *);
    int (*mutex_try)(void *);
    void (*mutex_leave)(void *);
} api;

static int bound;                          /* api is filled in and checked */
static PyTypeObject *connection_type;      /* sqlite3.Connection */
static PyObject *operational_error;        /* sqlite3.OperationalError */
static PyObject *s_value, *s_proposed, *s_updated;

/* -- binding to Python's SQLite ------------------------------------------------------------------------------ */

static PyObject *bind(PyObject *self, PyObject *args)
{
    const char *path, *version;
    PyObject *type;
    if (!PyArg_ParseTuple(args, "ssO!", &path, &version, &PyType_Type, &type))
        return NULL;
#if CAN_BIND
    if (bound)
        Py_RETURN_TRUE;
    void *lib = dlopen(path, RTLD_NOLOAD | RTLD_LAZY); /* already loaded by Python: never a second copy */
    if (lib == NULL)
        Py_RETURN_FALSE;
    struct {
        void **slot;
        const char *name;
    } names[] = {{(void **)&api.prepare_v2, "sqlite3_prepare_v2"}, {(void **)&api.step, "sqlite3_step"},
                 {(void **)&api.finalize, "sqlite3_finalize"}, {(void **)&api.bind_text, "sqlite3_bind_text"},
                 {(void **)&api.column_count, "sqlite3_column_count"},
                 {(void **)&api.column_type, "sqlite3_column_type"},
                 {(void **)&api.column_text, "sqlite3_column_text"},
                 {(void **)&api.column_bytes, "sqlite3_column_bytes"},
                 {(void **)&api.column_int64, "sqlite3_column_int64"},
                 {(void **)&api.column_double, "sqlite3_column_double"},
                 {(void **)&api.column_blob, "sqlite3_column_blob"}, {(void **)&api.errmsg, "sqlite3_errmsg"},
                 {(void **)&api.db_filename, "sqlite3_db_filename"},
                 {(void **)&api.libversion, "sqlite3_libversion"}, {(void **)&api.db_mutex, "sqlite3_db_mutex"},
                 {(void **)&api.mutex_enter, "sqlite3_mutex_enter"},
                 {(void **)&api.mutex_leave, "sqlite3_mutex_leave"},
                 {(void **)&api.mutex_try, "sqlite3_mutex_try"}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if ((*names[i].slot = dlsym(lib, names[i].name)) == NULL)
            Py_RETURN_FALSE;
    if (strcmp(api.libversion(), version) != 0) /* not the library the module reports: not ours to use */
        Py_RETURN_FALSE;
    PyObject *sqlite3_module = PyImport_ImportModule("sqlite3");
    if (sqlite3_module == NULL)
        return NULL;
    operational_error = PyObject_GetAttrString(sqlite3_module, "OperationalError");
    Py_DECREF(sqlite3_module);
    if (operational_error == NULL)
        return NULL;
    Py_INCREF(type);
    connection_type = (PyTypeObject *)type;
    bound = 1;
    Py_RETURN_TRUE;
#else
    Py_RETURN_FALSE;
#endif
}

/* the connection's sqlite3*, or NULL when it is not one we know the layout of, is closed, or has another file open */
static sqlite3 *handle_of(PyObject *conn, const char *filename)
{
    if (!bound || !PyObject_TypeCheck(conn, connection_type))
        return NULL;
    if (strcmp(connection_type->tp_name, "sqlite3.Connection") != 0)
        return NULL;
    sqlite3 *db = *(sqlite3 **)((char *)conn + sizeof(PyObject)); /* pysqlite_Connection.db */
    if (db == NULL) /* closed */
        return NULL;
    const char *open = api.db_filename(db, "main");
    if (strcmp(open ? open : "", filename) != 0)
        return NULL;
    return db;
}

/* -- a growing buffer ---------------------------------------------------------------------------------------- */

typedef struct {
    char *data;
    size_t used, size;
} buffer;

/* perhaps without the GIL: plain malloc */
static int grow(buffer *b, size_t more)
{
    if (b->used + more <= b->size)
        return 0;
    size_t size = b->size ? b->size : 4096;
    while (size < b->used + more)
        size *= 2;
    char *data = realloc(b->data, size);
    if (data == NULL)
        return -1;
    b->data = data;
    b->size = size;
    return 0;
}

static int put(buffer *b, const char *s, size_t n)
{
    if (grow(b, n) < 0)
        return -1;
    memcpy(b->data + b->used, s, n);
    b->used += n;
    return 0;
}

#define PUT_LITERAL(b, s) put(b, s, sizeof(s) - 1)

/* UTF-8 text as json.dumps(ensure_ascii=False) writes a str: ", \ and the control characters escaped, the rest as
 * it is (core/_relations.c's put_string, on bytes) */
static int put_string(buffer *b, const char *p, size_t n)
{
    /* most are ids, names and times with nothing to escape: looked for in one pass the compiler can vectorise,
     * then copied */
    unsigned char special = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        special |= (c < 0x20) | (c == '"') | (c == '\\');
    }
    if (!special) {
        if (grow(b, n + 2) < 0)
            return -1;
        char *o = b->data + b->used;
        *o = '"';
        memcpy(o + 1, p, n);
        o[n + 1] = '"';
        b->used += n + 2;
        return 0;
    }
    if (grow(b, n * 6 + 2) < 0)
        return -1;
    char *o = b->data + b->used;
    *o++ = '"';
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o++ = '"';
    b->used = (size_t)(o - b->data);
    return 0;
}

/* -- the follower -------------------------------------------------------------------------------------------- */

#define NCOL 9 /* RELATION_COLUMNS; ATTRIBUTE_COLUMNS are 8 */
#define DOC 1  /* doc_id's column in both */
enum { R_ID, R_DOC, R_HEAD, R_CHILD, R_TYPE, R_WHO, R_CREATED, R_UPDATED, R_DELETED };
enum { A_SPAN, A_DOC, A_NAME, A_VALUE, A_WHO, A_PROPOSED, A_UPDATED, A_DELETED };

typedef struct {
    size_t off[NCOL];
    int len[NCOL];
    long long number; /* an attribute's proposed flag */
} row;

typedef struct {
    PyObject_HEAD
    PyObject *conn; /* held: the statement is the connection's */
    sqlite3 *db;
    sqlite3_stmt *stmt;
    int kind, ncol, has_row, rc;
    buffer text;  /* the document's fields, copied out of SQLite's (they last only until the next step) */
    buffer rows;  /* row records into ``text`` */
    buffer out;   /* a document's JSON */
} Follower;

static int compare_bytes(const char *a, size_t na, const char *b, size_t nb)
{
    int c = memcmp(a, b, na < nb ? na : nb);
    return c ? c : (na < nb ? -1 : na > nb);
}

/* the storage class each column has in the plain case: text, but a relation's or value's tombstone (none) and a
 * value's proposed flag (a number) */
static const int plain_types[2][NCOL] = {
    {SQLITE_TEXT, SQLITE_TEXT, SQLITE_TEXT, SQLITE_TEXT, SQLITE_TEXT, SQLITE_TEXT, SQLITE_TEXT, SQLITE_TEXT,
     SQLITE_NULL},
    {SQLITE_TEXT, SQLITE_TEXT, SQLITE_TEXT, SQLITE_TEXT, SQLITE_TEXT, SQLITE_INTEGER, SQLITE_TEXT, SQLITE_NULL, 0},
};

static int copy(Follower *f, row *r, int k, const char *p, int n)
{
    r->off[k] = f->text.used;
    r->len[k] = n;
    return put(&f->text, p, (size_t)n);
}

/* Steps over the rows of documents before ``key`` and copies those of ``key`` while they are plain, with or
 * without the GIL (no Python in it). Returns 1 when all of the document's rows were plain and copied, 0 when the current row is not plain (the
 * rows copied so far are plain), -1 when SQLite failed (f->rc). Each sqlite3_column_* call takes the connection's
 * mutex: each is made once a field. */
static int collect(Follower *f, const char *key, size_t key_len)
{
    f->text.used = f->rows.used = 0;
    const int *want = plain_types[f->kind];
    while (f->has_row) {
        if (api.column_type(f->stmt, DOC) != SQLITE_TEXT)
            return 0;
        const char *doc = (const char *)api.column_text(f->stmt, DOC);
        int doc_len = api.column_bytes(f->stmt, DOC);
        int c = compare_bytes(doc, (size_t)doc_len, key, key_len);
        if (c > 0)
            return 1;
        if (c == 0) {
            int types[NCOL];
            for (int k = 0; k < f->ncol; k++)
                if (k != DOC && (types[k] = api.column_type(f->stmt, k)) != want[k])
                    return 0;
            row r;
            if (copy(f, &r, DOC, doc, doc_len) < 0)
                goto no_memory;
            for (int k = 0; k < f->ncol; k++) {
                if (k == DOC)
                    continue;
                if (types[k] == SQLITE_NULL)
                    r.len[k] = -1;
                else if (types[k] == SQLITE_INTEGER) {
                    r.number = api.column_int64(f->stmt, k);
                    r.len[k] = -1;
                } else {
                    const char *p = (const char *)api.column_text(f->stmt, k);
                    if (copy(f, &r, k, p, api.column_bytes(f->stmt, k)) < 0)
                        goto no_memory;
                }
            }
            if (put(&f->rows, (const char *)&r, sizeof r) < 0)
                goto no_memory;
        }
        int rc = api.step(f->stmt);
        if (rc == SQLITE_DONE)
            f->has_row = 0;
        else if (rc != SQLITE_ROW) {
            f->rc = rc;
            f->has_row = 0;
            return -1;
        }
    }
    return 1;
no_memory:
    f->rc = -1;
    return -1;
}

static PyObject *failed(Follower *f)
{
    if (f->rc == -1)
        return PyErr_NoMemory();
    PyErr_Format(operational_error, "%s", api.errmsg(f->db));
    return NULL;
}

static int step_with_gil(Follower *f)
{
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = api.step(f->stmt);
    Py_END_ALLOW_THREADS
    if (rc == SQLITE_DONE) {
        f->has_row = 0;
        return 0;
    }
    if (rc != SQLITE_ROW) {
        f->rc = rc;
        f->has_row = 0;
        return -1;
    }
    return 0;
}

static PyObject *text_of(const char *p, int n) { return PyUnicode_DecodeUTF8(p, n, NULL); }

/* a row of the copied ones as the tuple Python's sqlite3 makes of it */
static PyObject *copied_tuple(Follower *f, const row *r)
{
    PyObject *t = PyTuple_New(f->ncol);
    if (t == NULL)
        return NULL;
    for (int k = 0; k < f->ncol; k++) {
        PyObject *v;
        if (f->kind == 1 && k == A_PROPOSED)
            v = PyLong_FromLongLong(r->number);
        else if (r->len[k] < 0) {
            v = Py_None;
            Py_INCREF(v);
        } else
            v = text_of(f->text.data + r->off[k], r->len[k]);
        if (v == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, k, v);
    }
    return t;
}

/* the statement's current row as the tuple Python's sqlite3 makes of it */
static PyObject *current_tuple(Follower *f)
{
    PyObject *t = PyTuple_New(f->ncol);
    if (t == NULL)
        return NULL;
    for (int k = 0; k < f->ncol; k++) {
        PyObject *v;
        switch (api.column_type(f->stmt, k)) {
        case SQLITE_INTEGER: v = PyLong_FromLongLong(api.column_int64(f->stmt, k)); break;
        case SQLITE_FLOAT: v = PyFloat_FromDouble(api.column_double(f->stmt, k)); break;
        case SQLITE_TEXT: {
            const char *p = (const char *)api.column_text(f->stmt, k);
            v = text_of(p, api.column_bytes(f->stmt, k));
            break;
        }
        case SQLITE_BLOB: {
            const void *p = api.column_blob(f->stmt, k);
            v = PyBytes_FromStringAndSize(p, api.column_bytes(f->stmt, k));
            break;
        }
        default: v = Py_None; Py_INCREF(v);
        }
        if (v == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, k, v);
    }
    return t;
}

static int current_is(Follower *f, const char *key, size_t key_len)
{
    if (!f->has_row || api.column_type(f->stmt, DOC) != SQLITE_TEXT)
        return 0;
    const char *doc = (const char *)api.column_text(f->stmt, DOC);
    return compare_bytes(doc, (size_t)api.column_bytes(f->stmt, DOC), key, key_len) == 0;
}

/* the document's rows as tuples: those copied, then the rest from the statement (a row whose doc_id is not text is
 * taken as the document's, as Python's grouping would not sort it either: the export then fails as it did) */
static PyObject *as_tuples(Follower *f, const char *key, size_t key_len)
{
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    size_t n = f->rows.used / sizeof(row);
    for (size_t i = 0; i < n; i++) {
        PyObject *t = copied_tuple(f, (const row *)f->rows.data + i);
        if (t == NULL || PyList_Append(out, t) < 0) {
            Py_XDECREF(t);
            goto fail;
        }
        Py_DECREF(t);
    }
    while (f->has_row && (current_is(f, key, key_len) || api.column_type(f->stmt, DOC) != SQLITE_TEXT)) {
        PyObject *t = current_tuple(f);
        if (t == NULL || PyList_Append(out, t) < 0) {
            Py_XDECREF(t);
            goto fail;
        }
        Py_DECREF(t);
        if (step_with_gil(f) < 0) {
            failed(f);
            goto fail;
        }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* the span ids to keep, as sorted UTF-8 (pointers into the strs, which the set holds) */
typedef struct {
    const char *p;
    size_t n;
} bytes_ref;

static int compare_refs(const void *a, const void *b)
{
    const bytes_ref *x = a, *y = b;
    return compare_bytes(x->p, x->n, y->p, y->n);
}

#define FEW_IDS 16 /* up to this many, looked for one by one; more, sorted and searched by halves */

/* ``ids`` (a list, or any iterable: a span's id each) as UTF-8, sorted when there are more than FEW_IDS; held by
 * ``*seq``, which the caller releases after the last lookup */
static bytes_ref *id_refs(PyObject *ids, PyObject **seq, Py_ssize_t *count)
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
static PyObject *relations_text(Follower *f, const bytes_ref *ids, Py_ssize_t nids)
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
static PyObject *attribute_values(Follower *f, const bytes_ref *ids, Py_ssize_t nids)
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

static PyObject *taken(Follower *f, const char *key_utf8, size_t key_len, PyObject *ids);

static PyObject *take(Follower *f, PyObject *args)
{
    PyObject *key, *ids;
    if (!PyArg_ParseTuple(args, "UO", &key, &ids))
        return NULL;
    Py_ssize_t key_len;
    const char *key_utf8 = PyUnicode_AsUTF8AndSize(key, &key_len);
    if (key_utf8 == NULL)
        return NULL;
    if (f->stmt == NULL) /* all taken: the documents after the last have none */
        return f->kind == 0 ? PyUnicode_New(0, 0) : PyDict_New();
    if (*(sqlite3 **)((char *)f->conn + sizeof(PyObject)) != f->db)
        return PyErr_Format(operational_error, "the database was closed during the export");
    PyObject *out = taken(f, key_utf8, (size_t)key_len, ids);
    if (!f->has_row) { /* the statement's read ends with its last row, as a Python cursor's does */
        api.finalize(f->stmt);
        f->stmt = NULL;
    }
    return out;
}

static PyObject *taken(Follower *f, const char *key_utf8, size_t key_len, PyObject *ids)
{
    int plain;
    /* The connection's mutex held over the document's rows (SQLite's API takes it again, recursively, in each
     * call). Should another thread be in SQLite on this connection, it is waited for with the GIL released: it
     * may need the GIL to finish (a Python function SQLite calls back). NULL, and nothing to hold, unless SQLite is
     * in serialized mode. */
    void *mutex = api.db_mutex(f->db);
    if (mutex == NULL || api.mutex_try(mutex) == SQLITE_OK) {
        /* the usual case, no other thread in SQLite on this connection: the rows (already read: no lock to wait
         * for) are copied with the GIL kept, as handing it over and back for each document cost more than the copy */
        plain = collect(f, key_utf8, key_len);
        if (mutex != NULL)
            api.mutex_leave(mutex);
    } else {
        Py_BEGIN_ALLOW_THREADS
        api.mutex_enter(mutex);
        plain = collect(f, key_utf8, key_len);
        api.mutex_leave(mutex);
        Py_END_ALLOW_THREADS
    }
    if (plain < 0)
        return failed(f);
    if (plain && f->rows.used == 0)
        return f->kind == 0 ? PyUnicode_New(0, 0) : PyDict_New();
    if (plain) {
        Py_ssize_t nids = 0;
        PyObject *seq;
        bytes_ref *refs = id_refs(ids, &seq, &nids);
        if (refs == NULL)
            return NULL;
        PyObject *out = f->kind == 0 ? relations_text(f, refs, nids) : attribute_values(f, refs, nids);
        PyMem_Free(refs);
        Py_DECREF(seq);
        if (out != NULL || PyErr_Occurred())
            return out;
    }
    return as_tuples(f, key_utf8, key_len);
}

static PyObject *Follower_take(PyObject *self, PyObject *args) { return take((Follower *)self, args); }

static void Follower_dealloc(PyObject *self)
{
    Follower *f = (Follower *)self;
    if (f->stmt != NULL)
        api.finalize(f->stmt);
    Py_XDECREF(f->conn);
    free(f->text.data);
    free(f->rows.data);
    free(f->out.data);
    Py_TYPE(self)->tp_free(self);
}

static PyMethodDef follower_methods[] = {
    {"take", Follower_take, METH_VARARGS, "A document's relations' JSON or attribute values, or its rows."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject FollowerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "annotator.store._export_links.Follower",
    .tp_basicsize = sizeof(Follower),
    .tp_dealloc = Follower_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A statement over one kind of links, walked alongside the documents.",
    .tp_methods = follower_methods,
};

static PyObject *follower(PyObject *self, PyObject *args)
{
    PyObject *conn, *params;
    const char *filename, *sql;
    int kind;
    if (!PyArg_ParseTuple(args, "OssO!i", &conn, &filename, &sql, &PyTuple_Type, &params, &kind))
        return NULL;
    if (kind != 0 && kind != 1)
        return PyErr_Format(PyExc_ValueError, "kind is 0 (relations) or 1 (attribute values)");
    sqlite3 *db = handle_of(conn, filename);
    if (db == NULL)
        Py_RETURN_NONE;
    sqlite3_stmt *stmt = NULL;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = api.prepare_v2(db, sql, -1, &stmt, NULL);
    Py_END_ALLOW_THREADS
    if (rc != SQLITE_OK)
        return PyErr_Format(operational_error, "%s", api.errmsg(db));
    Follower *f = PyObject_New(Follower, &FollowerType);
    if (f == NULL) {
        api.finalize(stmt);
        return NULL;
    }
    Py_INCREF(conn);
    f->conn = conn;
    f->db = db;
    f->stmt = stmt;
    f->kind = kind;
    f->ncol = kind == 0 ? 9 : 8;
    f->has_row = 0;
    f->rc = 0;
    memset(&f->text, 0, sizeof(buffer));
    memset(&f->rows, 0, sizeof(buffer));
    memset(&f->out, 0, sizeof(buffer));
    if (api.column_count(stmt) != f->ncol) {
        Py_DECREF(f);
        return PyErr_Format(PyExc_ValueError, "the statement has %d columns, not %d", api.column_count(stmt),
                            kind == 0 ? 9 : 8);
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(params); i++) {
        PyObject *p = PyTuple_GET_ITEM(params, i);
        Py_ssize_t n;
        const char *s = PyUnicode_Check(p) ? PyUnicode_AsUTF8AndSize(p, &n) : NULL;
        if (s == NULL) {
            Py_DECREF(f);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "the parameters are strings");
            return NULL;
        }
        if (api.bind_text(stmt, (int)i + 1, s, (int)n, SQLITE_TRANSIENT) != SQLITE_OK) {
            Py_DECREF(f);
            return PyErr_Format(operational_error, "%s", api.errmsg(db));
        }
    }
    f->has_row = 1;
    if (step_with_gil(f) < 0) {
        failed(f);
        Py_DECREF(f);
        return NULL;
    }
    return (PyObject *)f;
}

static PyMethodDef methods[] = {
    {"bind", bind, METH_VARARGS, "Find the SQLite that Python's sqlite3 module uses; True when it can be used."},
    {"follower", follower, METH_VARARGS, "A statement on the connection's own sqlite3, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_export_links", NULL, -1, methods};

PyMODINIT_FUNC PyInit__export_links(void)
{
    if (PyType_Ready(&FollowerType) < 0)
        return NULL;
    if ((s_value = PyUnicode_InternFromString("value")) == NULL ||
        (s_proposed = PyUnicode_InternFromString("proposed")) == NULL ||
        (s_updated = PyUnicode_InternFromString("updated")) == NULL)
        return NULL;
    return PyModule_Create(&module);
}
