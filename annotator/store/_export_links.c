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
 *
 * Its parts: this file, the follower (stepping the statement, copying a document's rows, the tuples of the rows not
 * plain); _sqlite_api.c, finding SQLite and a connection's sqlite3*; _export_documents.c, what is made of a
 * document's copied rows; _export_links.h, what they share (SQLite's ABI, the byte buffer and JSON string writer,
 * the row records).
 */
#include "_export_links.h"

PyObject *s_value, *s_proposed, *s_updated;

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
    sqlite3 *db = sqlite_handle_of(conn, filename);
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
    {"bind", bind_sqlite, METH_VARARGS, "Find the SQLite that Python's sqlite3 module uses; True when it can be used."},
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
