/* write_files(batch): create or overwrite each file of a batch of (path, data) pairs, without the GIL.
 *
 * Formats that write a folder (brat: a .txt and an .ann file per document) spend most of an export in the file
 * system creating files. Done from a Python thread, each open, write and close gives the GIL back and must win it
 * again from the busy exporter, which makes the thread no faster than doing it inline; here the whole batch runs
 * with the GIL released, so it overlaps with making the next records on another core.
 * background_writer.BackgroundFiles calls it from its thread; _write_files_python there is the same in Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static int write_one(const char *path, const char *data, Py_ssize_t len)
{
    int fd;
    do {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return errno;
    int err = 0;
    Py_ssize_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, (size_t)(len - done));
        if (w < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
            break;
        }
        done += w;
    }
    if (close(fd) < 0 && !err && errno != EINTR)
        err = errno;
    return err;
}

static PyObject *write_files(PyObject *self, PyObject *arg)
{
    /* a tuple of the pairs: nothing can change it while the GIL is released */
    PyObject *batch = PySequence_Tuple(arg);
    if (!batch)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(batch);
    const char **paths = PyMem_Malloc(sizeof(char *) * (n ? n : 1));
    const char **datas = PyMem_Malloc(sizeof(char *) * (n ? n : 1));
    Py_ssize_t *lens = PyMem_Malloc(sizeof(Py_ssize_t) * (n ? n : 1));
    PyObject *result = NULL;
    if (!paths || !datas || !lens) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PyTuple_GET_ITEM(batch, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 || !PyBytes_Check(PyTuple_GET_ITEM(pair, 0))
            || !PyBytes_Check(PyTuple_GET_ITEM(pair, 1))) {
            PyErr_Format(PyExc_TypeError, "item %zd is not a (path bytes, data bytes) pair", i);
            goto done;
        }
        paths[i] = PyBytes_AS_STRING(PyTuple_GET_ITEM(pair, 0));
        datas[i] = PyBytes_AS_STRING(PyTuple_GET_ITEM(pair, 1));
        lens[i] = PyBytes_GET_SIZE(PyTuple_GET_ITEM(pair, 1));
    }
    Py_ssize_t failed = -1;
    int err = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++) {
        if ((err = write_one(paths[i], datas[i], lens[i])) != 0) {
            failed = i;
            break;
        }
    }
    Py_END_ALLOW_THREADS
    if (failed >= 0) {
        PyObject *name = PyUnicode_DecodeFSDefault(paths[failed]);
        errno = err;
        PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, name);
        Py_XDECREF(name);
        goto done;
    }
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(paths);
    PyMem_Free(datas);
    PyMem_Free(lens);
    Py_DECREF(batch);
    return result;
}

static PyMethodDef methods[] = {
    {"write_files", write_files, METH_O, "write_files(batch of (path bytes, data bytes)) -> None, without the GIL"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_write_files", NULL, -1, methods};

PyMODINIT_FUNC PyInit__write_files(void)
{
    return PyModule_Create(&module);
}
