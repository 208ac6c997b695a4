/* SQLite's functions, found at run time in the library Python's sqlite3 module uses, and the sqlite3* of a
 * connection of that module (store/_export_links.c's head says why this is safe). */
#include "_export_links.h"

struct sqlite_api api;
static int bound;                          /* api is filled in and checked */
static PyTypeObject *connection_type;      /* sqlite3.Connection */
PyObject *operational_error;               /* sqlite3.OperationalError */

/* -- binding to Python's SQLite ------------------------------------------------------------------------------ */

PyObject *bind_sqlite(PyObject *self, PyObject *args)
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

sqlite3 *sqlite_handle_of(PyObject *conn, const char *filename)
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
