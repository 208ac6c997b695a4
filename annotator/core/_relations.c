/* The per-relation loops of a large import and export, compiled for the common case. A corpus of 100,000 articles
 * has 1,000,000 relations: each Python step a relation takes (decoding its line's object into a Relation, the
 * store's checks, its staging row, and on export its object and json.dumps) costs a second or more (issue 14).
 *
 * Each function does what a Python loop does (named below; a test holds the two equal on random input) for the
 * plainly good case only, and returns None as soon as anything is otherwise: then the Python loop, the reference,
 * runs from the start and says what is wrong, drops what it drops, counts what it counts.
 *
 * parse_relations(Relation, items, by_id, doc_id, latest) -> list of Relation, or None
 *     formats/canonical_links.parse_relations for the reviewers' layer: each item a dict of RELATION_KEYS, its
 *     ends ids of spans of ``by_id`` (the line's spans by id) of its annotator, its times ours, no tombstone.
 * relations_storable(Relation, relations, spans, types, doc_id, any_label) -> bool
 *     True when store/bulk_links.LinkChecker._relations would keep every relation as it is, checking nothing else
 *     and counting nothing: each of a known type whose labels it connects, between two live spans of ``spans``
 *     of its document and annotator, its strings without a lone surrogate.
 * relation_rows(Relation, relations, stamp) -> list of tuples, or None
 *     store/link_staging.relation_rows for the reviewers' layer (the staging rows).
 * attribute_rows(SpanAttribute, attributes, stamp) -> list of tuples, or None
 *     store/link_staging.attribute_rows (the staging rows of attribute values), for values of a JSON scalar type.
 * relations_json(rows, written, tombstones) -> str, or None
 *     formats/canonical_links.put_relations followed by json.dumps(ensure_ascii=False, separators=(",", ":")) of
 *     the list: ``rows`` are relations as tuples in Relation's field order, as the store reads them, in the
 *     order put_relations sorts them to (created, id); the text of the JSON array, "" when no relation is written.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <math.h>
#include <string.h>

#include "../_json_escape.h"

static PyObject *s_id, *s_head, *s_child, *s_type, *s_annotator, *s_created, *s_updated, *s_deleted, *s_label,
    *s_doc_id, *s_head_label, *s_child_label, *s_empty, *s_span_id, *s_name, *s_value, *s_proposed;

/* -- times ------------------------------------------------------------------------------------------------- */

static int digits(const char *p, int n)
{
    for (int i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

static int number(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    return v;
}

/* core.validate.is_our_time: "YYYY-MM-DDTHH:MM:SS.ffffff+00:00" in ASCII digits, a real date and time (what
 * datetime.fromisoformat takes), not after ``latest``. */
static int our_time(PyObject *value, PyObject *latest)
{
    if (!PyUnicode_CheckExact(value) || !PyUnicode_IS_ASCII(value) || PyUnicode_GET_LENGTH(value) != 32)
        return 0;
    const char *p = (const char *)PyUnicode_DATA(value);
    if (!(digits(p, 4) && p[4] == '-' && digits(p + 5, 2) && p[7] == '-' && digits(p + 8, 2) && p[10] == 'T' &&
          digits(p + 11, 2) && p[13] == ':' && digits(p + 14, 2) && p[16] == ':' && digits(p + 17, 2) &&
          p[19] == '.' && digits(p + 20, 6) && memcmp(p + 26, "+00:00", 6) == 0))
        return 0;
    int year = number(p, 4), month = number(p + 5, 2), day = number(p + 8, 2);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || month < 1 || month > 12 || day < 1)
        return 0;
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day > days[month - 1] + (month == 2 && leap))
        return 0;
    if (number(p + 11, 2) > 23 || number(p + 14, 2) > 59 || number(p + 17, 2) > 59)
        return 0;
    int later = PyUnicode_Compare(value, latest);
    if (later == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    return later <= 0;
}

/* A time checked once per call: most relations of a file share their created and updated times. */
typedef struct {
    PyObject *good; /* borrowed: a value that passed */
} time_memo;

static int our_time_memo(time_memo *memo, PyObject *value, PyObject *latest)
{
    if (memo->good != NULL && (value == memo->good || (PyUnicode_CheckExact(value) &&
                                                       PyUnicode_Compare(value, memo->good) == 0)))
        return 1;
    if (!our_time(value, latest))
        return 0;
    memo->good = value;
    return 1;
}

static int is_text(PyObject *v) { return PyUnicode_CheckExact(v); }

static int nonempty_text(PyObject *v) { return PyUnicode_CheckExact(v) && PyUnicode_GET_LENGTH(v) > 0; }

/* 1 equal, 0 not, -1 error */
static int same(PyObject *a, PyObject *b) { return PyObject_RichCompareBool(a, b, Py_EQ); }

/* Fields of our slotted dataclasses (Span, Relation, RelationType) read at their slot's offset: through
 * PyObject_GetAttr each took as long as the whole Python loop's specialised attribute loads. A type whose field is
 * not a plain object slot is not plain. One cache a call site: the GIL is held. */
typedef struct {
    PyTypeObject *type;
    Py_ssize_t offset;
} slot;

/* borrowed, or NULL (no error set) when the field is not a slot of the object's type or is unset */
static PyObject *field(PyObject *obj, PyObject *name, slot *cache)
{
    PyTypeObject *type = Py_TYPE(obj);
    if (cache->type != type) {
        PyObject *d = PyObject_GetAttr((PyObject *)type, name); /* on the class: the descriptor itself */
        if (d == NULL) {
            PyErr_Clear();
            return NULL;
        }
        int member = Py_IS_TYPE(d, &PyMemberDescr_Type) &&
                     ((PyMemberDescrObject *)d)->d_member->type == T_OBJECT_EX;
        Py_ssize_t offset = member ? ((PyMemberDescrObject *)d)->d_member->offset : 0;
        Py_DECREF(d); /* the type holds it */
        if (!member)
            return NULL;
        cache->type = type;
        cache->offset = offset;
    }
    return *(PyObject **)((char *)obj + cache->offset);
}

/* -- reading a line's relations ------------------------------------------------------------------------------ */

static PyObject *parse_relations(PyObject *self, PyObject *args)
{
    PyObject *relation_type, *items, *by_id, *doc_id, *latest;
    if (!PyArg_ParseTuple(args, "OO!O!UU", &relation_type, &PyList_Type, &items, &PyDict_Type, &by_id, &doc_id,
                          &latest))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(items);
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    time_memo memo = {NULL};
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *d = PyList_GET_ITEM(items, i);
        if (!PyDict_CheckExact(d))
            goto not_plain;
        /* borrowed references, NULL where the key is missing */
        PyObject *head_id = PyDict_GetItemWithError(d, s_head), *child_id = PyDict_GetItemWithError(d, s_child);
        PyObject *type_name = PyDict_GetItemWithError(d, s_type), *who = PyDict_GetItemWithError(d, s_annotator);
        PyObject *rel_id = PyDict_GetItemWithError(d, s_id), *created = PyDict_GetItemWithError(d, s_created);
        PyObject *updated = PyDict_GetItemWithError(d, s_updated), *deleted = PyDict_GetItemWithError(d, s_deleted);
        if (PyErr_Occurred())
            goto fail;
        /* no other key: each key found is another of the dict's (its keys are distinct) */
        Py_ssize_t found = (head_id != NULL) + (child_id != NULL) + (type_name != NULL) + (who != NULL) +
                           (rel_id != NULL) + (created != NULL) + (updated != NULL) + (deleted != NULL);
        if (found != PyDict_GET_SIZE(d))
            goto not_plain;
        if (head_id == NULL || child_id == NULL || !is_text(head_id) || !is_text(child_id))
            goto not_plain;
        PyObject *head = PyDict_GetItemWithError(by_id, head_id), *child = PyDict_GetItemWithError(by_id, child_id);
        if (PyErr_Occurred())
            goto fail;
        if (head == NULL || child == NULL || head == child || type_name == NULL || !nonempty_text(type_name) ||
            who == NULL || !is_text(who) || rel_id == NULL || !nonempty_text(rel_id))
            goto not_plain;
        if (deleted != NULL && deleted != Py_None)
            goto not_plain;
        /* created: missing, null or "" is "" (the import fills it in); else one of our times */
        if (created == NULL || created == Py_None || (is_text(created) && PyUnicode_GET_LENGTH(created) == 0))
            created = s_empty;
        else if (!our_time_memo(&memo, created, latest))
            goto not_plain;
        /* updated: missing, null, "" or the same as created is created */
        if (updated == NULL || updated == Py_None || (is_text(updated) && PyUnicode_GET_LENGTH(updated) == 0))
            updated = created;
        else if (!our_time_memo(&memo, updated, latest))
            goto not_plain;
        static slot head_who_at, child_who_at, head_id_at, child_id_at;
        PyObject *head_who = field(head, s_annotator, &head_who_at), *child_who = field(child, s_annotator,
                                                                                          &child_who_at);
        PyObject *head_span_id = field(head, s_id, &head_id_at), *child_span_id = field(child, s_id, &child_id_at);
        if (head_who == NULL || child_who == NULL || head_span_id == NULL || child_span_id == NULL)
            goto not_plain;
        int ok = same(head_who, who);
        if (ok == 1)
            ok = same(who, child_who);
        if (ok == -1)
            goto fail;
        if (!ok)
            goto not_plain;
        PyObject *argv[9] = {rel_id, doc_id, head_span_id, child_span_id, type_name, who, created, updated, Py_None};
        PyObject *relation = PyObject_Vectorcall(relation_type, argv, 9, NULL);
        if (relation == NULL)
            goto fail;
        /* A Relation made here holds strings and None only, so it can be in no reference cycle: the cycle
         * collector need not look at it, as it stops looking at a tuple of strings. A million of them tracked made
         * the collector's passes over an import's batch most of this loop's time. */
        if (PyObject_IS_GC(relation) && PyObject_GC_IsTracked(relation))
            PyObject_GC_UnTrack(relation);
        PyList_SET_ITEM(out, i, relation);
    }
    return out;
not_plain:
    Py_DECREF(out);
    Py_RETURN_NONE;
fail:
    Py_DECREF(out);
    return NULL;
}

/* -- the store's checks and staging rows -------------------------------------------------------------------- */

static int has_surrogate(PyObject *s)
{
    if (PyUnicode_KIND(s) == PyUnicode_1BYTE_KIND) /* Latin-1 at most: none */
        return 0;
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 0xD800 && c <= 0xDFFF)
            return 1;
    }
    return 0;
}

/* the fields of a Relation (borrowed), or -1 when one is not a plain slot */
enum { F_ID, F_DOC, F_HEAD, F_CHILD, F_TYPE, F_WHO, F_CREATED, F_UPDATED, F_DELETED, F_N };

static int relation_fields(PyObject *r, PyObject **f)
{
    static slot at[F_N];
    PyObject *names[F_N] = {s_id, s_doc_id, s_head, s_child, s_type, s_annotator, s_created, s_updated, s_deleted};
    for (int k = 0; k < F_N; k++)
        if ((f[k] = field(r, names[k], &at[k])) == NULL)
            return -1;
    return 0;
}

/* the span's attribute ``name`` is equal to ``value`` (1), is not (0, also when it is not a plain slot), error (-1) */
static int attr_is(PyObject *span, PyObject *name, PyObject *value, slot *at)
{
    PyObject *v = field(span, name, at);
    return v == NULL ? 0 : same(v, value);
}

/* the span's ``deleted`` is None (1), or not (0) */
static int live(PyObject *span, slot *at)
{
    return field(span, s_deleted, at) == Py_None;
}

/* a type connects the span's label: its label for ``which`` (head_label, child_label) is any_label or the span's */
static int connects(PyObject *t, PyObject *which, slot *which_at, PyObject *span, slot *label_at, PyObject *any_label)
{
    PyObject *want = field(t, which, which_at);
    if (want == NULL)
        return 0;
    int r = same(want, any_label);
    return r == 0 ? attr_is(span, s_label, want, label_at) : r;
}

static PyObject *relations_storable(PyObject *self, PyObject *args)
{
    PyObject *relation_type, *relations, *spans, *types, *doc_id, *any_label;
    if (!PyArg_ParseTuple(args, "OO!O!O!OO", &relation_type, &PyList_Type, &relations, &PyDict_Type, &spans,
                          &PyDict_Type, &types, &doc_id, &any_label))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(relations);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *r = PyList_GET_ITEM(relations, i);
        if ((PyObject *)Py_TYPE(r) != relation_type)
            goto not_plain;
        PyObject *f[F_N];
        if (relation_fields(r, f) < 0)
            goto not_plain;
        PyObject *head = NULL, *child = NULL, *t = NULL;
        if (is_text(f[F_HEAD]) && is_text(f[F_CHILD]) && is_text(f[F_TYPE])) {
            head = PyDict_GetItemWithError(spans, f[F_HEAD]);
            child = head ? PyDict_GetItemWithError(spans, f[F_CHILD]) : NULL;
            t = child ? PyDict_GetItemWithError(types, f[F_TYPE]) : NULL;
        }
        if (PyErr_Occurred())
            return NULL;
        /* a tombstone is not the common case (its ends may be deleted: the loop decides) */
        if (t == NULL || head == child || !is_text(f[F_WHO]) || !nonempty_text(f[F_ID]) || !is_text(f[F_CREATED]) ||
            !is_text(f[F_UPDATED]) || f[F_DELETED] != Py_None)
            goto not_plain;
        static slot head_who, child_who, head_label, child_label, head_label_at, child_label_at, head_dead,
            child_dead;
        int ok = same(f[F_DOC], doc_id);
        if (ok == 1)
            ok = attr_is(head, s_annotator, f[F_WHO], &head_who);
        if (ok == 1)
            ok = attr_is(child, s_annotator, f[F_WHO], &child_who);
        if (ok == 1)
            ok = connects(t, s_head_label, &head_label_at, head, &head_label, any_label);
        if (ok == 1)
            ok = connects(t, s_child_label, &child_label_at, child, &child_label, any_label);
        if (ok == 1)
            ok = live(head, &head_dead) && live(child, &child_dead);
        if (ok == 1 && (has_surrogate(f[F_ID]) || has_surrogate(f[F_CREATED]) || has_surrogate(f[F_UPDATED])))
            ok = 0;
        if (ok == -1)
            return NULL;
        if (ok != 1)
            goto not_plain;
    }
    Py_RETURN_TRUE;
not_plain:
    Py_RETURN_FALSE;
}

/* A staging row of strings, numbers and None is in no reference cycle: the cycle collector need not look at it
 * (it stops looking at such a tuple only once a collection has gone over it, and a batch has 20,000 of them). */
static void untrack(PyObject *row, int atomic)
{
    if (atomic && PyObject_GC_IsTracked(row))
        PyObject_GC_UnTrack(row);
}

/* ``a or b`` (a new reference) */
static PyObject *either(PyObject *a, PyObject *b)
{
    int truthy = PyObject_IsTrue(a);
    if (truthy < 0)
        return NULL;
    PyObject *r = truthy ? a : b;
    Py_INCREF(r);
    return r;
}

static PyObject *relation_rows(PyObject *self, PyObject *args)
{
    PyObject *relation_type, *relations, *stamp;
    if (!PyArg_ParseTuple(args, "OO!O", &relation_type, &PyList_Type, &relations, &stamp))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(relations);
    for (Py_ssize_t i = 0; i < n; i++)
        if ((PyObject *)Py_TYPE(PyList_GET_ITEM(relations, i)) != relation_type)
            Py_RETURN_NONE;
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *f[F_N];
        if (relation_fields(PyList_GET_ITEM(relations, i), f) < 0) {
            Py_DECREF(out);
            Py_RETURN_NONE;
        }
        /* created or stamp, updated or created or stamp */
        PyObject *created = either(f[F_CREATED], stamp);
        PyObject *updated = created ? either(f[F_UPDATED], created) : NULL;
        PyObject *row = updated ? PyTuple_New(F_N) : NULL;
        if (row == NULL) {
            Py_XDECREF(created);
            Py_XDECREF(updated);
            goto fail;
        }
        f[F_CREATED] = created;
        f[F_UPDATED] = updated;
        int atomic = 1;
        for (int k = 0; k < F_N; k++) {
            if (k != F_CREATED && k != F_UPDATED)
                Py_INCREF(f[k]);
            PyTuple_SET_ITEM(row, k, f[k]); /* the tuple takes each reference */
            atomic = atomic && (PyUnicode_CheckExact(f[k]) || f[k] == Py_None);
        }
        untrack(row, atomic);
        PyList_SET_ITEM(out, i, row);
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* -- writing a line's relations --------------------------------------------------------------------------- */

typedef struct {
    char *data;
    size_t used, size;
} buffer;

static int grow(buffer *b, size_t more)
{
    if (b->used + more <= b->size)
        return 0;
    size_t size = b->size ? b->size : 4096;
    while (size < b->used + more)
        size *= 2;
    char *data = PyMem_Realloc(b->data, size);
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
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

/* a str as json.dumps(ensure_ascii=False) writes it: ", \ and the control characters escaped, the rest as it is.
 * 0: done, -1: error, -2: not plain (a lone surrogate, which has no UTF-8) */
static int put_string(buffer *b, PyObject *s)
{
    Py_ssize_t n;
    const char *p = PyUnicode_AsUTF8AndSize(s, &n);
    if (p == NULL) {
        PyErr_Clear();
        return -2;
    }
    if (grow(b, JSON_STRING_ROOM((size_t)n)) < 0)
        return -1;
    char *o = json_string_into(b->data + b->used, p, (size_t)n);
    b->used = (size_t)(o - b->data);
    return 0;
}

static PyObject *relations_json(PyObject *self, PyObject *args)
{
    PyObject *rows, *written;
    int tombstones;
    if (!PyArg_ParseTuple(args, "O!O!p", &PyList_Type, &rows, &PySet_Type, &written, &tombstones))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(rows);
    buffer b = {NULL, 0, 0};
    PyObject *previous = NULL; /* borrowed: the row before, to hold the rows to put_relations' order */
    int count = 0, status = 0;
    static const char *const keys[] = {"{\"id\":", ",\"head\":", ",\"child\":", ",\"type\":", ",\"annotator\":",
                                       ",\"created\":", ",\"updated\":"};
    static const int fields[] = {F_ID, F_HEAD, F_CHILD, F_TYPE, F_WHO, F_CREATED, F_UPDATED};
    for (Py_ssize_t i = 0; i < n && status == 0; i++) {
        PyObject *row = PyList_GET_ITEM(rows, i);
        if (!PyTuple_CheckExact(row) || PyTuple_GET_SIZE(row) != F_N) {
            status = -2;
            break;
        }
        for (int k = 0; k < F_DELETED; k++)
            if (!is_text(PyTuple_GET_ITEM(row, k)))
                status = -2;
        PyObject *deleted = PyTuple_GET_ITEM(row, F_DELETED);
        if (status || (deleted != Py_None && !is_text(deleted))) {
            status = -2;
            break;
        }
        if (previous != NULL) { /* sorted by (created, id), as put_relations writes them */
            int c = PyUnicode_Compare(PyTuple_GET_ITEM(previous, F_CREATED), PyTuple_GET_ITEM(row, F_CREATED));
            if (c == 0)
                c = PyUnicode_Compare(PyTuple_GET_ITEM(previous, F_ID), PyTuple_GET_ITEM(row, F_ID));
            if (c > 0 || PyErr_Occurred()) {
                PyErr_Clear();
                status = -2;
                break;
            }
        }
        previous = row;
        int dead = deleted != Py_None && PyUnicode_GET_LENGTH(deleted) > 0;
        if (dead && !tombstones)
            continue;
        int in_head = PySet_Contains(written, PyTuple_GET_ITEM(row, F_HEAD));
        int in_child = in_head == 1 ? PySet_Contains(written, PyTuple_GET_ITEM(row, F_CHILD)) : in_head;
        if (in_child < 0) {
            status = -1;
            break;
        }
        if (!in_child)
            continue;
        if (put(&b, count ? "," : "[", 1) < 0) {
            status = -1;
            break;
        }
        count++;
        for (int k = 0; k < 7 && status == 0; k++) {
            status = put(&b, keys[k], strlen(keys[k]));
            if (status == 0)
                status = put_string(&b, PyTuple_GET_ITEM(row, fields[k]));
        }
        if (status == 0 && dead) {
            status = PUT_LITERAL(&b, ",\"deleted\":");
            if (status == 0)
                status = put_string(&b, deleted);
        }
        if (status == 0)
            status = PUT_LITERAL(&b, "}");
    }
    PyObject *out = NULL;
    if (status == 0 && count)
        status = PUT_LITERAL(&b, "]");
    if (status == 0)
        out = count ? PyUnicode_DecodeUTF8(b.data, (Py_ssize_t)b.used, NULL) : PyUnicode_New(0, 0);
    else if (status == -2) {
        out = Py_None;
        Py_INCREF(out);
    }
    PyMem_Free(b.data);
    return out;
}

/* -- attribute values' staging rows ---------------------------------------------------------------------- */

/* a value as json.dumps(ensure_ascii=False) writes it, for the values an attribute takes (text, a whole number,
 * a finite float, true/false); NULL with no error set for anything else (the Python writes it) */
static PyObject *value_json(PyObject *v)
{
    if (PyBool_Check(v)) {
        PyObject *r = v == Py_True ? PyUnicode_FromString("true") : PyUnicode_FromString("false");
        return r;
    }
    if (PyLong_CheckExact(v) || PyFloat_CheckExact(v)) {
        if (PyFloat_CheckExact(v) && !isfinite(PyFloat_AS_DOUBLE(v)))
            return NULL;
        return PyObject_Repr(v); /* json's int.__repr__ and float.__repr__ */
    }
    if (!PyUnicode_CheckExact(v))
        return NULL;
    buffer b = {NULL, 0, 0};
    int status = put_string(&b, v);
    PyObject *out = status == 0 ? PyUnicode_DecodeUTF8(b.data, (Py_ssize_t)b.used, NULL) : NULL;
    PyMem_Free(b.data);
    return out;
}

static PyObject *attribute_rows(PyObject *self, PyObject *args)
{
    PyObject *attribute_type, *attributes, *stamp;
    if (!PyArg_ParseTuple(args, "OO!O", &attribute_type, &PyList_Type, &attributes, &stamp))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(attributes);
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    enum { A_SPAN, A_DOC, A_NAME, A_VALUE, A_WHO, A_PROPOSED, A_UPDATED, A_DELETED, A_N };
    static PyObject **names[A_N] = {&s_span_id, &s_doc_id, &s_name, &s_value, &s_annotator, &s_proposed,
                                    &s_updated, &s_deleted};
    static slot at[A_N];
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *a = PyList_GET_ITEM(attributes, i), *f[A_N];
        if ((PyObject *)Py_TYPE(a) != attribute_type)
            goto not_plain;
        for (int k = 0; k < A_N; k++)
            if ((f[k] = field(a, *names[k], &at[k])) == NULL)
                goto not_plain;
        if (!PyBool_Check(f[A_PROPOSED]))
            goto not_plain;
        PyObject *value = value_json(f[A_VALUE]);
        if (value == NULL) {
            if (PyErr_Occurred())
                goto fail;
            goto not_plain;
        }
        PyObject *updated = either(f[A_UPDATED], stamp);
        PyObject *row = updated ? PyTuple_New(A_N) : NULL;
        if (row == NULL) {
            Py_DECREF(value);
            Py_XDECREF(updated);
            goto fail;
        }
        PyObject *proposed = PyLong_FromLong(f[A_PROPOSED] == Py_True);
        f[A_VALUE] = value;
        f[A_PROPOSED] = proposed;
        f[A_UPDATED] = updated;
        int atomic = 1;
        for (int k = 0; k < A_N; k++) {
            if (k != A_VALUE && k != A_PROPOSED && k != A_UPDATED)
                Py_INCREF(f[k]);
            PyTuple_SET_ITEM(row, k, f[k]);
            atomic = atomic && (PyUnicode_CheckExact(f[k]) || PyLong_CheckExact(f[k]) || f[k] == Py_None);
        }
        untrack(row, atomic);
        PyList_SET_ITEM(out, i, row);
    }
    return out;
not_plain:
    Py_DECREF(out);
    Py_RETURN_NONE;
fail:
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"attribute_rows", attribute_rows, METH_VARARGS, "The attribute values' staging rows, or None."},
    {"parse_relations", parse_relations, METH_VARARGS, "A line's relations for the common case, or None."},
    {"relations_storable", relations_storable, METH_VARARGS, "The store keeps every relation as it is."},
    {"relation_rows", relation_rows, METH_VARARGS, "The relations' staging rows, or None."},
    {"relations_json", relations_json, METH_VARARGS, "A line's relations as canonical JSON, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_relations", NULL, -1, methods};

PyMODINIT_FUNC PyInit__relations(void)
{
    struct {
        PyObject **slot;
        const char *text;
    } names[] = {{&s_id, "id"}, {&s_head, "head"}, {&s_child, "child"}, {&s_type, "type"},
                 {&s_annotator, "annotator"}, {&s_created, "created"}, {&s_updated, "updated"},
                 {&s_deleted, "deleted"}, {&s_label, "label"}, {&s_doc_id, "doc_id"},
                 {&s_head_label, "head_label"}, {&s_child_label, "child_label"}, {&s_empty, ""},
                 {&s_span_id, "span_id"}, {&s_name, "name"}, {&s_value, "value"}, {&s_proposed, "proposed"}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if ((*names[i].slot = PyUnicode_InternFromString(names[i].text)) == NULL)
            return NULL;
    return PyModule_Create(&module);
}
