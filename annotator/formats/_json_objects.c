/* json's object_pairs_hook, compiled: a JSON object as a dict, refusing a key that appears twice (which one the
 * writer meant is anyone's guess). Python's json keeps the last of two equal keys silently unless a hook sees the
 * pairs, and a hook written in Python costs half a microsecond an object: as long as json.load's whole parse of a
 * Label Studio task of 1,000 spans (two objects a span, issue 10).
 *
 * object_from_pairs(pairs) -> dict, or raises the exception class given to set_refusal (common.JSONRefused) with
 * the message that json_reading._object, the reference and the fallback without this module, gives.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *refusal = NULL; /* the exception class for a repeated key */

static PyObject *set_refusal(PyObject *self, PyObject *cls)
{
    Py_INCREF(cls);
    Py_XSETREF(refusal, cls);
    Py_RETURN_NONE;
}

static PyObject *object_from_pairs(PyObject *self, PyObject *pairs)
{
    if (!PyList_CheckExact(pairs)) {
        PyErr_SetString(PyExc_TypeError, "object_from_pairs takes the list of (key, value) pairs json gives");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(pairs);
    PyObject *obj = PyDict_New();
    if (obj == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PyList_GET_ITEM(pairs, i);
        if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2) {
            Py_DECREF(obj);
            PyErr_SetString(PyExc_TypeError, "object_from_pairs takes (key, value) pairs");
            return NULL;
        }
        PyObject *key = PyTuple_GET_ITEM(pair, 0);
        /* SetDefault returns the value already there (borrowed) when the key is taken: then it is a repeat */
        PyObject *kept = PyDict_SetDefault(obj, key, PyTuple_GET_ITEM(pair, 1));
        if (kept == NULL) {
            Py_DECREF(obj);
            return NULL;
        }
        if (PyDict_GET_SIZE(obj) != i + 1) {
            Py_DECREF(obj);
            PyErr_Format(refusal ? refusal : PyExc_ValueError, "the key %R appears twice in one object", key);
            return NULL;
        }
    }
    return obj;
}

static PyMethodDef methods[] = {
    {"object_from_pairs", object_from_pairs, METH_O, "A dict from json's (key, value) pairs; a repeated key is refused."},
    {"set_refusal", set_refusal, METH_O, "The exception class object_from_pairs raises for a repeated key."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_json_objects", NULL, -1, methods};

PyMODINIT_FUNC PyInit__json_objects(void)
{
    return PyModule_Create(&module);
}
