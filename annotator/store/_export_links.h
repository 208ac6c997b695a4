/* What the export's compiled reader (store/_export_links.c, whose head says what it does and why it is safe)
 * shares between its files: SQLite's ABI as found at run time (_sqlite_api.c), a growing byte buffer with the
 * JSON string writer, the row records a document's rows are copied into, and what is made of them
 * (_export_documents.c). */
#ifndef ANNOTATOR_EXPORT_LINKS_H
#define ANNOTATOR_EXPORT_LINKS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../_json_escape.h"

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

struct sqlite_api {
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
};
extern struct sqlite_api api;

extern PyObject *operational_error;        /* sqlite3.OperationalError */
extern PyObject *s_value, *s_proposed, *s_updated;

/* bind(sqlite3_extension_file, sqlite_version, Connection) -> bool (_sqlite_api.c) */
PyObject *bind_sqlite(PyObject *self, PyObject *args);
/* the connection's sqlite3*, or NULL when it is not one we know the layout of, is closed, or has another file open */
sqlite3 *sqlite_handle_of(PyObject *conn, const char *filename);

/* -- a growing buffer ---------------------------------------------------------------------------------------- */

typedef struct {
    char *data;
    size_t used, size;
} buffer;

/* perhaps without the GIL: plain malloc */
static inline int grow(buffer *b, size_t more)
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

static inline int put(buffer *b, const char *s, size_t n)
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
static inline int put_string(buffer *b, const char *p, size_t n)
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
    if (grow(b, JSON_STRING_ROOM(n)) < 0)
        return -1;
    char *o = json_string_into(b->data + b->used, p, n);
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

static inline int compare_bytes(const char *a, size_t na, const char *b, size_t nb)
{
    int c = memcmp(a, b, na < nb ? na : nb);
    return c ? c : (na < nb ? -1 : na > nb);
}

static inline PyObject *text_of(const char *p, int n) { return PyUnicode_DecodeUTF8(p, n, NULL); }

/* the span ids a document's links are kept for (_export_documents.c) */
typedef struct {
    const char *p;
    size_t n;
} bytes_ref;

bytes_ref *id_refs(PyObject *ids, PyObject **seq, Py_ssize_t *count);
PyObject *relations_text(Follower *f, const bytes_ref *ids, Py_ssize_t nids);
PyObject *attribute_values(Follower *f, const bytes_ref *ids, Py_ssize_t nids);

#endif
