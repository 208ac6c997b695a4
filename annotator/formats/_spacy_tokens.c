/* The "tokens" array of a spaCy / Prodigy JSONL record, compiled: an object per token is most of what that format
 * writes (about ten times the bytes of the text), and making a dict per token for json.dumps costs more than the
 * whole canonical export of the document.
 *
 * tokens_json(text, starts, ends, flags) gives exactly what json.dumps(..., ensure_ascii=False,
 * separators=(",", ":")) gives for [{"text": text[start:end], "start", "end", "id", "ws"}, ...]; spacy_jsonl.py
 * holds that reference and tests/formats/test_spacy_tokens_compiled.py checks that the two agree.
 *
 * The output is measured first, then written straight into a str of its final size and width: no token strings,
 * no intermediate buffer, no snprintf (each showed in profiles at some hundreds of tokens a document).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* how json.dumps escapes with ensure_ascii=False (Modules/_json.c, escape_unicode): these seven as two
 * characters, the other controls as \u00XX, everything else as itself */
static char short_escape(Py_UCS4 c)
{
    switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    }
    return 0;
}

#define NEEDS_ESCAPE(c) ((c) < 0x20 || (c) == '"' || (c) == '\\')

static int digit_count(Py_ssize_t v)
{
    int n = 1;
    for (; v >= 10; v /= 10)
        n++;
    return n;
}

typedef struct {
    int kind;
    void *data;
    Py_ssize_t pos;
} Out;

static void put_ascii(Out *o, const char *s, Py_ssize_t n)
{
    if (o->kind == PyUnicode_1BYTE_KIND) {
        memcpy((Py_UCS1 *)o->data + o->pos, s, n);
        o->pos += n;
        return;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        PyUnicode_WRITE(o->kind, o->data, o->pos++, (unsigned char)s[i]);
}

static void put_int(Out *o, Py_ssize_t v)
{
    int n = digit_count(v);
    for (int k = n - 1; k >= 0; k--, v /= 10)
        PyUnicode_WRITE(o->kind, o->data, o->pos + k, '0' + (int)(v % 10));
    o->pos += n;
}

/* text[start:end] as a JSON string; `plain` says no character of it needs escaping */
static void put_string(Out *o, int kind, const void *data, Py_ssize_t start, Py_ssize_t end, int plain)
{
    static const char hex[] = "0123456789abcdef";
    PyUnicode_WRITE(o->kind, o->data, o->pos++, '"');
    if (plain && kind == o->kind) {
        memcpy((char *)o->data + o->pos * kind, (const char *)data + start * kind, (end - start) * kind);
        o->pos += end - start;
    } else {
        for (Py_ssize_t i = start; i < end; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (NEEDS_ESCAPE(c)) {
                char e = short_escape(c);
                PyUnicode_WRITE(o->kind, o->data, o->pos++, '\\');
                if (e) {
                    PyUnicode_WRITE(o->kind, o->data, o->pos++, e);
                } else {
                    char u[5] = {'u', '0', '0', hex[c >> 4], hex[c & 15]};
                    put_ascii(o, u, 5);
                }
            } else {
                PyUnicode_WRITE(o->kind, o->data, o->pos++, c);
            }
        }
    }
    PyUnicode_WRITE(o->kind, o->data, o->pos++, '"');
}

#define LIT(o, literal) put_ascii(o, literal, (Py_ssize_t)sizeof(literal) - 1)
#define LEN(literal) ((Py_ssize_t)sizeof(literal) - 1)

typedef struct {
    Py_ssize_t start, end;
    int plain;
} Tok;

/* The common case, a text all in ASCII (most news in English): one pass, straight into a str sized for the worst
 * case and then shrunk, with no per-character width dispatch. */
static char *put_decimal(char *w, Py_ssize_t v)
{
    char digits[24];
    int k = 0;
    do {
        digits[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k)
        *w++ = digits[--k];
    return w;
}

#define PUT_LIT(w, literal) (memcpy((w), literal, sizeof(literal) - 1), (w) += sizeof(literal) - 1)

static PyObject *ascii_tokens_json(const Py_UCS1 *s, const int64_t *starts, const int64_t *ends, const char *flag,
                                   Py_ssize_t n, Py_ssize_t length)
{
    /* per token at most: the fixed keys and punctuation (46), three numbers (3 x 20), each character escaped (6) */
    Py_ssize_t bound = 2, i;
    for (i = 0; i < n; i++) {
        if (starts[i] < 0 || ends[i] < starts[i] || ends[i] > length) {
            PyErr_Format(PyExc_ValueError, "token %zd: [%lld, %lld) is not within the text", i,
                         (long long)starts[i], (long long)ends[i]);
            return NULL;
        }
        bound += 46 + 60 + 6 * (Py_ssize_t)(ends[i] - starts[i]);
    }
    PyObject *result = PyUnicode_New(bound, 127);
    if (!result)
        return NULL;
    char *w = (char *)PyUnicode_DATA(result);
    *w++ = '[';
    for (i = 0; i < n; i++) {
        if (i)
            *w++ = ',';
        PUT_LIT(w, "{\"text\":\"");
        for (int64_t k = starts[i]; k < ends[i]; k++) {
            Py_UCS1 c = s[k];
            if (NEEDS_ESCAPE(c)) {
                char e = short_escape(c);
                *w++ = '\\';
                if (e) {
                    *w++ = e;
                } else {
                    static const char hex[] = "0123456789abcdef";
                    PUT_LIT(w, "u00");
                    *w++ = hex[c >> 4];
                    *w++ = hex[c & 15];
                }
            } else {
                *w++ = (char)c;
            }
        }
        PUT_LIT(w, "\",\"start\":");
        w = put_decimal(w, (Py_ssize_t)starts[i]);
        PUT_LIT(w, ",\"end\":");
        w = put_decimal(w, (Py_ssize_t)ends[i]);
        PUT_LIT(w, ",\"id\":");
        w = put_decimal(w, i);
        if (flag[i] & 1)
            PUT_LIT(w, ",\"ws\":true}");
        else
            PUT_LIT(w, ",\"ws\":false}");
    }
    *w++ = ']';
    if (PyUnicode_Resize(&result, w - (char *)PyUnicode_DATA(result)) < 0)
        return NULL;
    return result;
}

static PyObject *tokens_json(PyObject *self, PyObject *args)
{
    PyObject *text, *result = NULL;
    Py_buffer sb = {0}, eb = {0}, fb = {0};
    Tok *toks = NULL;
    if (!PyArg_ParseTuple(args, "Uy*y*y*", &text, &sb, &eb, &fb))
        return NULL;
    Py_ssize_t n = sb.len / (Py_ssize_t)sizeof(int64_t), length = PyUnicode_GET_LENGTH(text);
    if (sb.itemsize != sizeof(int64_t) || eb.itemsize != sizeof(int64_t) || eb.len != sb.len || fb.len != n) {
        PyErr_SetString(PyExc_ValueError, "starts and ends must be arrays of int64 and flags bytes, one per token");
        goto done;
    }
    const int64_t *starts = sb.buf, *ends = eb.buf;
    const char *flag = fb.buf;
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (PyUnicode_IS_ASCII(text)) {
        result = ascii_tokens_json(data, starts, ends, flag, n, length);
        goto done;
    }
    if (!(toks = PyMem_Malloc(sizeof(Tok) * (n ? n : 1)))) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t total = 2 + (n ? n - 1 : 0);
    Py_UCS4 maxchar = 127;  /* the widest character written: a str must be stored at its narrowest width */
    for (Py_ssize_t i = 0; i < n; i++) {
        Tok *t = &toks[i];
        t->start = (Py_ssize_t)starts[i];
        t->end = (Py_ssize_t)ends[i];
        if (t->start < 0 || t->end < t->start || t->end > length) {
            PyErr_Format(PyExc_ValueError, "token %zd: [%zd, %zd) is not within the text", i, t->start, t->end);
            goto done;
        }
        Py_ssize_t escaped = 0;
        for (Py_ssize_t k = t->start; k < t->end; k++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, k);
            if (c > maxchar)
                maxchar = c;
            if (NEEDS_ESCAPE(c))
                escaped += short_escape(c) ? 1 : 5;
        }
        t->plain = escaped == 0;
        total += LEN("{\"text\":") + 2 + (t->end - t->start) + escaped + LEN(",\"start\":") + digit_count(t->start)
                 + LEN(",\"end\":") + digit_count(t->end) + LEN(",\"id\":") + digit_count(i)
                 + ((flag[i] & 1) ? LEN(",\"ws\":true}") : LEN(",\"ws\":false}"));
    }
    if (!(result = PyUnicode_New(total, maxchar)))
        goto done;
    Out o = {PyUnicode_KIND(result), PyUnicode_DATA(result), 0};
    LIT(&o, "[");
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i)
            LIT(&o, ",");
        LIT(&o, "{\"text\":");
        put_string(&o, kind, data, toks[i].start, toks[i].end, toks[i].plain);
        LIT(&o, ",\"start\":");
        put_int(&o, toks[i].start);
        LIT(&o, ",\"end\":");
        put_int(&o, toks[i].end);
        LIT(&o, ",\"id\":");
        put_int(&o, i);
        if (flag[i] & 1)
            LIT(&o, ",\"ws\":true}");
        else
            LIT(&o, ",\"ws\":false}");
    }
    LIT(&o, "]");
    if (o.pos != total) {
        Py_CLEAR(result);
        PyErr_SetString(PyExc_SystemError, "tokens_json measured its output wrong");
    }
done:
    PyMem_Free(toks);
    PyBuffer_Release(&sb);
    PyBuffer_Release(&eb);
    PyBuffer_Release(&fb);
    return result;
}

static PyMethodDef methods[] = {
    {"tokens_json", tokens_json, METH_VARARGS,
     "tokens_json(text, starts, ends, flags) -> the JSON array of spaCy token objects"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_spacy_tokens", NULL, -1, methods};

PyMODINIT_FUNC PyInit__spacy_tokens(void)
{
    return PyModule_Create(&module);
}
