/* labelstudio.parse_task's walk over the results of a task, compiled, for the common case: every result a region
 * ``{"id", "type": "labels", "value": {"start", "end", "text", "labels": [...]}, "meta": {"text": [note]}}`` with
 * int offsets, whose stated text is the document's at its offsets in code points or, after one conversion, in UTF-16
 * units (Label Studio before 1.23, its issues #539 and #1347). That walk in Python was about 1.3 us a region: with
 * make_record, a task of 1,000 regions over a 400 KB text took 3.7 times as long as json.load of the same bytes
 * (issue 10).
 *
 * region_spans(text, groups) -> list of (start, end, label, stated, reviewer, note), one per label of each region,
 * in the order of the groups and their results, or None as soon as anything is not plainly such a region (a result
 * of another type than "labels" or "hypertextlabels": a relation, a region's choices or number; a label list that
 * is missing or empty, an offset that is not an int, a stated text that fits neither count, a note that is not a
 * string, a field of another type): then parse_task's Python walk, the reference, runs from the start and counts,
 * converts, joins or says what is wrong. ``groups``: a list of (results, reviewers, reviewer) for each annotation
 * that is not cancelled: its ``result`` list, the dict of result id -> reviewer name kept in the task's meta (None
 * for a model's predictions, which it does not name), and the annotation's own reviewer for the results that dict
 * does not name.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>

/* The keys looked up, made once (interned: their hashes are kept) */
static PyObject *k_value, *k_start, *k_end, *k_labels, *k_hypertextlabels, *k_text, *k_meta, *k_id, *k_type;

/* dict[key] borrowed, or NULL if absent; an error in a key's comparison is not ours to raise: taken as absent, and
 * then the region is not plain and the Python walk meets the same key */
static PyObject *get(PyObject *dict, PyObject *key)
{
    PyObject *found = PyDict_GetItemWithError(dict, key);
    if (found == NULL)
        PyErr_Clear();
    return found;
}

/* The astral characters of the text (two UTF-16 units each, one code point): where the two counts part. Found
 * once, when the first region needs converting. unit[k] is the UTF-16 offset of the k-th astral character. */
typedef struct {
    int found;
    Py_ssize_t n;
    Py_ssize_t *unit;
} astral_table;

static int find_astral(PyObject *text, astral_table *t)
{
    t->found = 1;
    if (PyUnicode_KIND(text) != PyUnicode_4BYTE_KIND) /* no character above U+FFFF */
        return 0;
    const Py_UCS4 *data = PyUnicode_4BYTE_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), n = 0, room = 16;
    t->unit = PyMem_Malloc(room * sizeof(Py_ssize_t));
    if (t->unit == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < length; i++) {
        if ((i & 63) == 0 && i + 64 <= length) { /* a block of 64 without one (most of them): one test, vectorised */
            Py_UCS4 high = 0;
            for (int j = 0; j < 64; j++)
                high |= data[i + j];
            if (high <= 0xFFFF) {
                i += 63;
                continue;
            }
        }
        if (data[i] > 0xFFFF) {
            if (n == room) {
                room *= 2;
                Py_ssize_t *more = PyMem_Realloc(t->unit, room * sizeof(Py_ssize_t));
                if (more == NULL) {
                    PyErr_NoMemory();
                    return -1;
                }
                t->unit = more;
            }
            t->unit[n] = i + n;
            n++;
        }
    }
    t->n = n;
    return 0;
}

/* The code point at UTF-16 ``offset`` (common.FromUTF16.__call__), or -1 inside a surrogate pair or outside. */
static Py_ssize_t from_utf16(const astral_table *t, Py_ssize_t offset, Py_ssize_t length)
{
    Py_ssize_t lo = 0, hi = t->n; /* bisect_left: the astral characters whose units start before offset */
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (t->unit[mid] < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo && t->unit[lo - 1] + 1 == offset)
        return -1;
    Py_ssize_t i = offset - lo;
    return 0 <= i && i <= length ? i : -1;
}

/* text[start:end] == stated, without making the slice; start and end already in range */
static int covers(PyObject *text, Py_ssize_t start, Py_ssize_t end, PyObject *stated)
{
    if (PyUnicode_GET_LENGTH(stated) != end - start)
        return 0;
    if (start == end)
        return 1;
    return PyUnicode_Tailmatch(text, stated, start, end, -1) == 1;
}

/* An int that fits a Py_ssize_t (not a bool: a subclass), or 0 */
static int plain_int(PyObject *o, Py_ssize_t *out)
{
    if (o == NULL || !PyLong_CheckExact(o))
        return 0;
    *out = PyLong_AsSsize_t(o);
    if (*out == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    return 1;
}

/* A result of no stated type or of a labels control's; any other (a relation, a region's choices, number, text area
 * or rating: labelstudio_links.LINKS) is joined to the regions by the Python walk */
static int region_type(PyObject *type)
{
    if (type == NULL)
        return 1;
    return PyUnicode_CheckExact(type) && (PyUnicode_CompareWithASCIIString(type, "labels") == 0 ||
                                          PyUnicode_CompareWithASCIIString(type, "hypertextlabels") == 0);
}

/* The list of labels of a region: ``labels`` or ``hypertextlabels``, a non-empty list; NULL if not plainly that */
static PyObject *labels_of(PyObject *value)
{
    PyObject *labels = get(value, k_labels);
    if (labels == NULL || labels == Py_None || (PyList_CheckExact(labels) && PyList_GET_SIZE(labels) == 0))
        labels = get(value, k_hypertextlabels);
    if (labels == NULL || !PyList_CheckExact(labels) || PyList_GET_SIZE(labels) == 0)
        return NULL;
    return labels;
}

/* The region's note (meta.text, a string or a list whose first item is one), borrowed; NULL if not plainly that */
static PyObject *note_of(PyObject *result, PyObject *empty)
{
    PyObject *meta = get(result, k_meta);
    if (meta == NULL || meta == Py_None)
        return empty;
    if (!PyDict_CheckExact(meta))
        return NULL;
    if (PyDict_GET_SIZE(meta) == 0)
        return empty;
    PyObject *note = get(meta, k_text);
    if (note == NULL || note == Py_None)
        return empty;
    if (PyList_CheckExact(note)) {
        if (PyList_GET_SIZE(note) == 0)
            return empty;
        note = PyList_GET_ITEM(note, 0);
    }
    return PyUnicode_CheckExact(note) ? note : NULL;
}

static PyObject *region_spans(PyObject *self, PyObject *args)
{
    PyObject *text, *groups;
    if (!PyArg_ParseTuple(args, "UO!", &text, &PyList_Type, &groups))
        return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    astral_table astral = {0, 0, NULL};
    PyObject *empty = PyUnicode_New(0, 0);
    PyObject *out = PyList_New(0);
    if (empty == NULL || out == NULL)
        goto fail;
    for (Py_ssize_t g = 0; g < PyList_GET_SIZE(groups); g++) {
        PyObject *group = PyList_GET_ITEM(groups, g), *results, *reviewers, *reviewer;
        if (!PyTuple_CheckExact(group) || PyTuple_GET_SIZE(group) != 3) {
            PyErr_SetString(PyExc_TypeError, "region_spans takes (results, reviewers, reviewer) for each annotation");
            goto fail;
        }
        results = PyTuple_GET_ITEM(group, 0);
        reviewers = PyTuple_GET_ITEM(group, 1);
        reviewer = PyTuple_GET_ITEM(group, 2);
        if (!PyList_CheckExact(results) || !PyUnicode_CheckExact(reviewer))
            goto not_plain;
        if (reviewers != Py_None && (!PyDict_CheckExact(reviewers) || PyDict_GET_SIZE(reviewers) == 0))
            reviewers = Py_None;
        for (Py_ssize_t r = 0; r < PyList_GET_SIZE(results); r++) {
            PyObject *result = PyList_GET_ITEM(results, r);
            if (!PyDict_CheckExact(result) || !region_type(get(result, k_type)))
                goto not_plain;
            PyObject *value = get(result, k_value);
            if (value == NULL || !PyDict_CheckExact(value))
                goto not_plain;
            Py_ssize_t start, end;
            if (!plain_int(get(value, k_start), &start) ||
                !plain_int(get(value, k_end), &end))
                goto not_plain;
            PyObject *labels = labels_of(value);
            if (labels == NULL)
                goto not_plain;
            PyObject *stated = get(value, k_text);
            if (stated == NULL)
                stated = Py_None;
            int moved = 0;
            if (stated != Py_None) {
                if (!PyUnicode_CheckExact(stated))
                    goto not_plain;
                if (!(0 <= start && start <= end && end <= length && covers(text, start, end, stated))) {
                    /* not code points: UTF-16 units, as Label Studio before 1.23 counted */
                    if (!astral.found && find_astral(text, &astral) < 0)
                        goto fail;
                    Py_ssize_t a = from_utf16(&astral, start, length), b = from_utf16(&astral, end, length);
                    if (a < 0 || b < 0 || a > b || !covers(text, a, b, stated))
                        goto not_plain;
                    start = a;
                    end = b;
                    moved = 1;
                }
            }
            PyObject *who = reviewer;
            if (reviewers != Py_None) {
                PyObject *rid = get(result, k_id);
                if (rid != NULL && PyUnicode_CheckExact(rid)) {
                    PyObject *named = PyDict_GetItemWithError(reviewers, rid);
                    if (named == NULL && PyErr_Occurred())
                        goto fail;
                    if (named != NULL)
                        who = named;
                }
            }
            PyObject *note = note_of(result, empty);
            if (note == NULL)
                goto not_plain;
            PyObject *start_o, *end_o;
            if (moved) {
                start_o = PyLong_FromSsize_t(start);
                end_o = PyLong_FromSsize_t(end);
                if (start_o == NULL || end_o == NULL) {
                    Py_XDECREF(start_o);
                    Py_XDECREF(end_o);
                    goto fail;
                }
            } else {
                start_o = Py_NewRef(get(value, k_start));
                end_o = Py_NewRef(get(value, k_end));
            }
            for (Py_ssize_t l = 0; l < PyList_GET_SIZE(labels); l++) {
                PyObject *span = PyTuple_Pack(6, start_o, end_o, PyList_GET_ITEM(labels, l), stated, who, note);
                if (span == NULL || PyList_Append(out, span) < 0) {
                    Py_XDECREF(span);
                    Py_DECREF(start_o);
                    Py_DECREF(end_o);
                    goto fail;
                }
                Py_DECREF(span);
            }
            Py_DECREF(start_o);
            Py_DECREF(end_o);
        }
    }
    PyMem_Free(astral.unit);
    Py_DECREF(empty);
    return out;
not_plain:
    PyMem_Free(astral.unit);
    Py_XDECREF(empty);
    Py_XDECREF(out);
    Py_RETURN_NONE;
fail:
    PyMem_Free(astral.unit);
    Py_XDECREF(empty);
    Py_XDECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"region_spans", region_spans, METH_VARARGS, "parse_task's spans, or None (see the file's head)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_labelstudio_regions", NULL, -1, methods};

PyMODINIT_FUNC PyInit__labelstudio_regions(void)
{
    const char *names[] = {"value", "start", "end", "labels", "hypertextlabels", "text", "meta", "id", "type"};
    PyObject **keys[] = {&k_value, &k_start, &k_end, &k_labels, &k_hypertextlabels, &k_text, &k_meta, &k_id, &k_type};
    for (int i = 0; i < 9; i++) {
        if (*keys[i] == NULL && (*keys[i] = PyUnicode_InternFromString(names[i])) == NULL)
            return NULL;
    }
    return PyModule_Create(&module);
}
