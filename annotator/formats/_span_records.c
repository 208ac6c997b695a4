/* make_record's loop over spans, compiled, for the common case: a reader's spans as (start, end, label[, stated[,
 * annotator[, note]]]) tuples with offsets into a text that normalising left as it was. The per-span work in Python
 * (checks, the span's uuid5 id, the Span) was 2 us a span: a Label Studio task of 1,000 spans took 4 times as long
 * as json.load of the same bytes (issue 10, section 2).
 *
 * make_spans(Span, text, doc_id, id_head, items, labels, default_who) -> list of Span, or None as soon as a span is
 * anything but plainly good (an offset that is not an int or out of range, a label not in ``labels``, the checked
 * label names, a stated text that differs from the document's, a field of another type, a lone surrogate): then
 * make_record's Python loop, the reference, runs from the start and says what is wrong. The ids are what
 * common.derived_span_id gives (a test holds the two equal): SHA-1 of id_head + "start:end:label:annotator",
 * with the version and variant bits of a uuid5, written as 8-4-4-4-12 hex digits.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* -- SHA-1 (FIPS 180-4), for names of some tens of bytes ---------------------------------------------------- */

typedef struct {
    uint32_t h[5];
    uint64_t length; /* bytes so far */
    unsigned char block[64];
    size_t used;
} sha1_state;

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

/* The 80 rounds over a rolling schedule of 16 words, unrolled by the macros below (as in most public SHA-1 code): a
 * loop over an 80-word schedule took 0.35 us a block, two blocks a span, the largest part of make_spans. */
#define BLK0(i) (w[i] = (uint32_t)p[4 * (i)] << 24 | (uint32_t)p[4 * (i) + 1] << 16 | (uint32_t)p[4 * (i) + 2] << 8 | \
                        p[4 * (i) + 3])
#define BLK(i) (w[(i) & 15] = ROL(w[((i) + 13) & 15] ^ w[((i) + 8) & 15] ^ w[((i) + 2) & 15] ^ w[(i) & 15], 1))
#define R0(v, x, y, z, u, i) u += ((x & (y ^ z)) ^ z) + BLK0(i) + 0x5A827999 + ROL(v, 5); x = ROL(x, 30);
#define R1(v, x, y, z, u, i) u += ((x & (y ^ z)) ^ z) + BLK(i) + 0x5A827999 + ROL(v, 5); x = ROL(x, 30);
#define R2(v, x, y, z, u, i) u += (x ^ y ^ z) + BLK(i) + 0x6ED9EBA1 + ROL(v, 5); x = ROL(x, 30);
#define R3(v, x, y, z, u, i) u += (((x | y) & z) | (x & y)) + BLK(i) + 0x8F1BBCDC + ROL(v, 5); x = ROL(x, 30);
#define R4(v, x, y, z, u, i) u += (x ^ y ^ z) + BLK(i) + 0xCA62C1D6 + ROL(v, 5); x = ROL(x, 30);

static void sha1_block(sha1_state *s, const unsigned char *p)
{
    uint32_t w[16];
    uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4];
    R0(a, b, c, d, e, 0) R0(e, a, b, c, d, 1) R0(d, e, a, b, c, 2) R0(c, d, e, a, b, 3) R0(b, c, d, e, a, 4)
    R0(a, b, c, d, e, 5) R0(e, a, b, c, d, 6) R0(d, e, a, b, c, 7) R0(c, d, e, a, b, 8) R0(b, c, d, e, a, 9)
    R0(a, b, c, d, e, 10) R0(e, a, b, c, d, 11) R0(d, e, a, b, c, 12) R0(c, d, e, a, b, 13) R0(b, c, d, e, a, 14)
    R0(a, b, c, d, e, 15) R1(e, a, b, c, d, 16) R1(d, e, a, b, c, 17) R1(c, d, e, a, b, 18) R1(b, c, d, e, a, 19)
    R2(a, b, c, d, e, 20) R2(e, a, b, c, d, 21) R2(d, e, a, b, c, 22) R2(c, d, e, a, b, 23) R2(b, c, d, e, a, 24)
    R2(a, b, c, d, e, 25) R2(e, a, b, c, d, 26) R2(d, e, a, b, c, 27) R2(c, d, e, a, b, 28) R2(b, c, d, e, a, 29)
    R2(a, b, c, d, e, 30) R2(e, a, b, c, d, 31) R2(d, e, a, b, c, 32) R2(c, d, e, a, b, 33) R2(b, c, d, e, a, 34)
    R2(a, b, c, d, e, 35) R2(e, a, b, c, d, 36) R2(d, e, a, b, c, 37) R2(c, d, e, a, b, 38) R2(b, c, d, e, a, 39)
    R3(a, b, c, d, e, 40) R3(e, a, b, c, d, 41) R3(d, e, a, b, c, 42) R3(c, d, e, a, b, 43) R3(b, c, d, e, a, 44)
    R3(a, b, c, d, e, 45) R3(e, a, b, c, d, 46) R3(d, e, a, b, c, 47) R3(c, d, e, a, b, 48) R3(b, c, d, e, a, 49)
    R3(a, b, c, d, e, 50) R3(e, a, b, c, d, 51) R3(d, e, a, b, c, 52) R3(c, d, e, a, b, 53) R3(b, c, d, e, a, 54)
    R3(a, b, c, d, e, 55) R3(e, a, b, c, d, 56) R3(d, e, a, b, c, 57) R3(c, d, e, a, b, 58) R3(b, c, d, e, a, 59)
    R4(a, b, c, d, e, 60) R4(e, a, b, c, d, 61) R4(d, e, a, b, c, 62) R4(c, d, e, a, b, 63) R4(b, c, d, e, a, 64)
    R4(a, b, c, d, e, 65) R4(e, a, b, c, d, 66) R4(d, e, a, b, c, 67) R4(c, d, e, a, b, 68) R4(b, c, d, e, a, 69)
    R4(a, b, c, d, e, 70) R4(e, a, b, c, d, 71) R4(d, e, a, b, c, 72) R4(c, d, e, a, b, 73) R4(b, c, d, e, a, 74)
    R4(a, b, c, d, e, 75) R4(e, a, b, c, d, 76) R4(d, e, a, b, c, 77) R4(c, d, e, a, b, 78) R4(b, c, d, e, a, 79)
    s->h[0] += a;
    s->h[1] += b;
    s->h[2] += c;
    s->h[3] += d;
    s->h[4] += e;
}

static void sha1_init(sha1_state *s)
{
    s->h[0] = 0x67452301;
    s->h[1] = 0xEFCDAB89;
    s->h[2] = 0x98BADCFE;
    s->h[3] = 0x10325476;
    s->h[4] = 0xC3D2E1F0;
    s->length = 0;
    s->used = 0;
}

static void sha1_update(sha1_state *s, const unsigned char *p, size_t n)
{
    s->length += n;
    while (n) {
        size_t take = 64 - s->used < n ? 64 - s->used : n;
        memcpy(s->block + s->used, p, take);
        s->used += take;
        p += take;
        n -= take;
        if (s->used == 64) {
            sha1_block(s, s->block);
            s->used = 0;
        }
    }
}

static void sha1_final(sha1_state *s, unsigned char out[20])
{
    uint64_t bits = s->length * 8;
    s->block[s->used++] = 0x80;
    if (s->used > 56) { /* no room for the length: a block of padding first */
        memset(s->block + s->used, 0, 64 - s->used);
        sha1_block(s, s->block);
        s->used = 0;
    }
    memset(s->block + s->used, 0, 56 - s->used);
    for (int i = 0; i < 8; i++)
        s->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
    sha1_block(s, s->block);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (unsigned char)(s->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)s->h[i];
    }
}

/* -- the spans ---------------------------------------------------------------------------------------------- */

/* n >= 0 in decimal digits at out; their count */
static int decimal(char *out, Py_ssize_t n)
{
    char digits[24];
    int k = 0;
    do {
        digits[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    for (int i = 0; i < k; i++)
        out[i] = digits[k - 1 - i];
    return k;
}

static PyObject *span_id(const sha1_state *head, Py_ssize_t start, Py_ssize_t end, PyObject *label, PyObject *who)
{
    Py_ssize_t label_n, who_n;
    const char *label_s = PyUnicode_AsUTF8AndSize(label, &label_n);
    const char *who_s = label_s ? PyUnicode_AsUTF8AndSize(who, &who_n) : NULL;
    if (who_s == NULL) { /* a lone surrogate: the Python loop names it */
        PyErr_Clear();
        return NULL;
    }
    char numbers[48]; /* "start:end:", two non-negative offsets (make_spans checks), without snprintf's cost */
    int numbers_n = decimal(numbers, start);
    numbers[numbers_n++] = ':';
    numbers_n += decimal(numbers + numbers_n, end);
    numbers[numbers_n++] = ':';
    sha1_state s = *head;
    sha1_update(&s, (const unsigned char *)numbers, (size_t)numbers_n);
    sha1_update(&s, (const unsigned char *)label_s, (size_t)label_n);
    sha1_update(&s, (const unsigned char *)":", 1);
    sha1_update(&s, (const unsigned char *)who_s, (size_t)who_n);
    unsigned char d[20];
    sha1_final(&s, d);
    d[6] = (d[6] & 0x0F) | 0x50; /* version 5 */
    d[8] = (d[8] & 0x3F) | 0x80; /* RFC 4122 variant */
    static const char hex[] = "0123456789abcdef";
    char text[36];
    int at = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            text[at++] = '-';
        text[at++] = hex[d[i] >> 4];
        text[at++] = hex[d[i] & 15];
    }
    return PyUnicode_DecodeASCII(text, 36, NULL);
}

static PyObject *make_spans(PyObject *self, PyObject *args)
{
    PyObject *span_type, *text, *doc_id, *items, *labels, *default_who;
    const char *id_head;
    Py_ssize_t id_head_n;
    if (!PyArg_ParseTuple(args, "OUUy#O!O!U", &span_type, &text, &doc_id, &id_head, &id_head_n, &PyList_Type, &items,
                          &PySet_Type, &labels, &default_who))
        return NULL;
    sha1_state head;
    sha1_init(&head);
    sha1_update(&head, (const unsigned char *)id_head, (size_t)id_head_n);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), n = PyList_GET_SIZE(items);
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        /* (start, end, label[, stated[, annotator[, note]]]): an item with its own id is not the common case */
        Py_ssize_t size = PyTuple_CheckExact(item) ? PyTuple_GET_SIZE(item) : 0;
        if (size < 3 || size > 6)
            goto not_plain;
        PyObject *start_o = PyTuple_GET_ITEM(item, 0), *end_o = PyTuple_GET_ITEM(item, 1);
        PyObject *label = PyTuple_GET_ITEM(item, 2);
        PyObject *stated = size > 3 ? PyTuple_GET_ITEM(item, 3) : Py_None;
        PyObject *who = size > 4 ? PyTuple_GET_ITEM(item, 4) : Py_None;
        PyObject *note = size > 5 ? PyTuple_GET_ITEM(item, 5) : Py_None;
        if (!PyLong_CheckExact(start_o) || !PyLong_CheckExact(end_o)) /* not bool: a subclass */
            goto not_plain;
        Py_ssize_t start = PyLong_AsSsize_t(start_o), end = PyLong_AsSsize_t(end_o);
        if ((start == -1 || end == -1) && PyErr_Occurred()) {
            PyErr_Clear();
            goto not_plain;
        }
        if (start < 0 || start >= end || end > length)
            goto not_plain;
        if (!PyUnicode_CheckExact(label))
            goto not_plain;
        int known = PySet_Contains(labels, label);
        if (known != 1) {
            PyErr_Clear();
            goto not_plain;
        }
        if (who == Py_None || (PyUnicode_CheckExact(who) && PyUnicode_GET_LENGTH(who) == 0))
            who = default_who;
        else if (!PyUnicode_CheckExact(who))
            goto not_plain;
        if (note == Py_None)
            note = NULL;
        else if (!PyUnicode_CheckExact(note))
            goto not_plain;
        PyObject *covered = PyUnicode_Substring(text, start, end);
        if (covered == NULL)
            goto fail;
        if (stated != Py_None) {
            /* the reference normalises a stated text with \r or a leading BOM first: not plain */
            if (!PyUnicode_CheckExact(stated) || PyUnicode_READ_CHAR(covered, 0) == 0xFEFF) {
                Py_DECREF(covered);
                goto not_plain;
            }
            int same = PyUnicode_Compare(stated, covered) == 0;
            if (PyErr_Occurred()) {
                Py_DECREF(covered);
                goto fail;
            }
            if (!same) {
                Py_DECREF(covered);
                goto not_plain;
            }
        }
        PyObject *id = span_id(&head, start, end, label, who);
        if (id == NULL) {
            Py_DECREF(covered);
            goto not_plain;
        }
        PyObject *empty = NULL;
        if (note == NULL) {
            empty = PyUnicode_New(0, 0);
            note = empty;
        }
        PyObject *argv[8] = {id, doc_id, start_o, end_o, label, covered, who, note};
        PyObject *span = PyObject_Vectorcall(span_type, argv, 8, NULL);
        Py_DECREF(id);
        Py_DECREF(covered);
        Py_XDECREF(empty);
        if (span == NULL)
            goto fail;
        PyList_SET_ITEM(out, i, span);
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
    {"make_spans", make_spans, METH_VARARGS, "make_record's spans for the common case, or None (see the file's head)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_span_records", NULL, -1, methods};

PyMODINIT_FUNC PyInit__span_records(void)
{
    return PyModule_Create(&module);
}
