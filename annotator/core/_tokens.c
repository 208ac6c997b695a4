/* The tokenizer of annotator/core/tokenize.py, compiled: the same tokens as its regular expression, about thirty
 * times faster, because token formats (CoNLL, spaCy JSONL) tokenize every text of an export.
 *
 * The regular expression stays the reference: tests/core/test_tokens_compiled.py checks that both give the same
 * tokens on generated text. Character classes the C API cannot answer (combining marks, CJK, emoji, currency,
 * apostrophes) come from tokenize.py as a table of flags, one byte per code point, built from the same ranges as
 * the regular expression; word, digit and space tests use the functions Python's re module uses for \w, \d, \s.
 *
 * The order of the tests below is the order of the alternatives of the regular expression: at each position the
 * first alternative that matches wins, as in re.finditer.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

/* One set of class bits per character: the first seven come from tokenize.py's table, the rest from the functions
 * Python's re module uses (Modules/_sre/sre.c: SRE_UNI_IS_SPACE, _DIGIT, _WORD) and combinations of them that
 * the regular expression's classes name, so that each test below is one lookup. */
enum {
    MARK = 1, CJK = 2, EMOJI_BASE = 4, EMOJI_MOD = 8, REGIONAL = 16, CURRENCY = 32, APOS = 64,
    SPACE = 1 << 7,     /* \s */
    DEC = 1 << 8,       /* \d */
    WORD = 1 << 9,      /* \w */
    ALPHA_W = 1 << 10,  /* [^\W\d_] */
    LETTER = 1 << 11,   /* [^\W\d_{CJK}]: what starts a word */
    WORDCH = 1 << 12,   /* [^\W_{CJK}]: what continues a word */
};

static PyObject *table_obj = NULL;          /* bytes, one per code point 0..0x10FFFF: the first seven bits */
static const unsigned char *table = NULL;
static uint16_t bmp_classes[0x10000];       /* every bit, for the Basic Multilingual Plane, made in configure() */

static uint16_t compute_class(Py_UCS4 c)
{
    unsigned bits = table[c];
    int word = Py_UNICODE_ISALNUM(c) || c == '_', dec = Py_UNICODE_ISDECIMAL(c);
    if (Py_UNICODE_ISSPACE(c))
        bits |= SPACE;
    if (dec)
        bits |= DEC;
    if (word)
        bits |= WORD;
    if (word && !dec && c != '_')
        bits |= ALPHA_W;
    if (word && !dec && c != '_' && !(bits & CJK))
        bits |= LETTER;
    if (word && c != '_' && !(bits & CJK))
        bits |= WORDCH;
    return (uint16_t)bits;
}

static inline uint16_t class_of(Py_UCS4 c)
{
    return c < 0x10000 ? bmp_classes[c] : compute_class(c);
}

#define FLAGS(c) class_of(c)
#define IS_SPACE(c) (class_of(c) & SPACE)
#define IS_DEC(c) (class_of(c) & DEC)
#define IS_WORD(c) (class_of(c) & WORD)
#define IS_ALPHA_W(c) (class_of(c) & ALPHA_W)
#define IS_LETTER(c) (class_of(c) & LETTER)

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Text;

#define AT(t, i) PyUnicode_READ((t)->kind, (t)->data, (i))

static Py_ssize_t skip_marks(const Text *t, Py_ssize_t i)
{
    while (i < t->n && (FLAGS(AT(t, i)) & MARK))
        i++;
    return i;
}

static Py_ssize_t skip_digits(const Text *t, Py_ssize_t i)
{
    while (i < t->n && IS_DEC(AT(t, i)))
        i++;
    return i;
}

/* \d+(?:[.,]\d+)* from i, where AT(i) is a digit */
static Py_ssize_t digits_with_separators(const Text *t, Py_ssize_t i)
{
    i = skip_digits(t, i);
    while (i + 1 < t->n) {
        Py_UCS4 c = AT(t, i);
        if ((c != '.' && c != ',') || !IS_DEC(AT(t, i + 1)))
            break;
        i = skip_digits(t, i + 2);
    }
    return i;
}

/* The end of the token that starts at p, or -1 when p is whitespace (no alternative matches there). */
static Py_ssize_t match_at(const Text *t, Py_ssize_t p)
{
    const Py_ssize_t n = t->n;
    const Py_UCS4 c0 = AT(t, p);
    Py_ssize_t i;

    /* word: (?>[^\W\d_{CJK}][{MARK}]*(?:[^\W_{CJK}]+[{MARK}]*)*)(?![$€£¥₹₩₽]\d|\.[^\W\d_]\.) */
    if (IS_LETTER(c0)) {
        i = p + 1;
        while (i < n) {
            Py_UCS4 c = AT(t, i);
            if (!(class_of(c) & (WORDCH | MARK)))
                break;
            i++;
        }
        int blocked = (i + 1 < n && (FLAGS(AT(t, i)) & CURRENCY) && IS_DEC(AT(t, i + 1)))
                      || (i + 2 < n && AT(t, i) == '.' && IS_ALPHA_W(AT(t, i + 1)) && AT(t, i + 2) == '.');
        if (!blocked)
            return i;
    }
    /* number: \d+(?:[.,]\d+)*(?:[^\W\d_{CJK}]+[{MARK}]*)* */
    if (IS_DEC(c0)) {
        i = digits_with_separators(t, p);
        if (i < n && IS_LETTER(AT(t, i))) {
            i++;
            while (i < n) {
                Py_UCS4 c = AT(t, i);
                if (!(class_of(c) & (LETTER | MARK)))
                    break;
                i++;
            }
        }
        return i;
    }
    /* money: (?:[A-Z]{1,3})?[$€£¥₹₩₽]\d+(?:[.,]\d+)*  (the capitals must run up to the currency sign) */
    {
        Py_ssize_t u = 0;
        while (u < 4 && p + u < n && AT(t, p + u) >= 'A' && AT(t, p + u) <= 'Z')
            u++;
        if (u <= 3 && p + u + 1 < n && (FLAGS(AT(t, p + u)) & CURRENCY) && IS_DEC(AT(t, p + u + 1)))
            return digits_with_separators(t, p + u + 1);
    }
    /* abbr: (?:[^\W\d_]\.){2,} */
    {
        Py_ssize_t k = 0;
        i = p;
        while (i + 1 < n && IS_ALPHA_W(AT(t, i)) && AT(t, i + 1) == '.') {
            i += 2;
            k++;
        }
        if (k >= 2)
            return i;
    }
    /* possessive: ['’]s\b */
    if ((FLAGS(c0) & APOS) && p + 1 < n && AT(t, p + 1) == 's' && (p + 2 == n || !IS_WORD(AT(t, p + 2))))
        return p + 2;
    /* emoji: a flag (two regional indicators), or base modifiers* (ZWJ base modifiers*)* */
    if ((FLAGS(c0) & REGIONAL) && p + 1 < n && (FLAGS(AT(t, p + 1)) & REGIONAL))
        return p + 2;
    if (FLAGS(c0) & EMOJI_BASE) {
        i = p + 1;
        while (i < n && (FLAGS(AT(t, i)) & EMOJI_MOD))
            i++;
        while (i + 1 < n && AT(t, i) == 0x200D && (FLAGS(AT(t, i + 1)) & EMOJI_BASE)) {
            i += 2;
            while (i < n && (FLAGS(AT(t, i)) & EMOJI_MOD))
                i++;
        }
        return i;
    }
    /* cjk: [{CJK}][{MARK}]*, then anything else that is not space: \S[{MARK}]* */
    if ((FLAGS(c0) & CJK) || !IS_SPACE(c0))
        return skip_marks(t, p + 1);
    return -1;
}

enum { WS_AFTER = 1, LINE_BREAK_BEFORE = 2 };

static PyObject *configure(PyObject *self, PyObject *arg)
{
    if (!PyBytes_Check(arg) || PyBytes_GET_SIZE(arg) != 0x110000) {
        PyErr_SetString(PyExc_ValueError, "the class table must be bytes with one entry per code point (0x110000)");
        return NULL;
    }
    Py_INCREF(arg);
    Py_XSETREF(table_obj, arg);
    table = (const unsigned char *)PyBytes_AS_STRING(arg);
    for (Py_UCS4 c = 0; c < 0x10000; c++)
        bmp_classes[c] = compute_class(c);
    Py_RETURN_NONE;
}

/* scan(text, with_texts) -> (starts, ends, texts or None, flags)
 * starts and ends: bytes of native int64, one per token (tokenize.py views them as array('q'): no int object per
 * token unless one is asked for). flags: one byte per token, WS_AFTER when whitespace follows it (spaCy's
 * whitespace_), LINE_BREAK_BEFORE when the whitespace before it holds a line break (a CoNLL paragraph break). */
static PyObject *scan(PyObject *self, PyObject *args)
{
    PyObject *text, *texts = NULL;
    int with_texts = 0;
    if (!PyArg_ParseTuple(args, "U|p", &text, &with_texts))
        return NULL;
    if (table == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure() was not called");
        return NULL;
    }
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)};
    /* news text has a token every five or six characters; the arrays grow if a text has more (at most one token
     * per character), so a 50 MB document does not reserve 17 bytes per character up front */
    Py_ssize_t capacity = t.n / 4 + 16;
    PyObject *start_bytes = PyBytes_FromStringAndSize(NULL, capacity * sizeof(int64_t));
    PyObject *end_bytes = PyBytes_FromStringAndSize(NULL, capacity * sizeof(int64_t));
    PyObject *flag_bytes = PyBytes_FromStringAndSize(NULL, capacity);
    if (!start_bytes || !end_bytes || !flag_bytes)
        goto fail;
    int64_t *starts = (int64_t *)PyBytes_AS_STRING(start_bytes), *ends = (int64_t *)PyBytes_AS_STRING(end_bytes);
    char *flags = PyBytes_AS_STRING(flag_bytes);
    Py_ssize_t p = 0, count = 0;
    int line_break = 0;
    while (p < t.n) {
        Py_ssize_t end = match_at(&t, p);
        if (end < 0) {
            if (count && AT(&t, p) == '\n')
                line_break = 1;
            p++;
            continue;
        }
        if (count == capacity) {
            capacity *= 2;
            if (_PyBytes_Resize(&start_bytes, capacity * sizeof(int64_t))
                || _PyBytes_Resize(&end_bytes, capacity * sizeof(int64_t)) || _PyBytes_Resize(&flag_bytes, capacity))
                goto fail;
            starts = (int64_t *)PyBytes_AS_STRING(start_bytes);
            ends = (int64_t *)PyBytes_AS_STRING(end_bytes);
            flags = PyBytes_AS_STRING(flag_bytes);
        }
        starts[count] = p;
        ends[count] = end;
        flags[count] = (char)((end < t.n && IS_SPACE(AT(&t, end)) ? WS_AFTER : 0)
                              | (line_break ? LINE_BREAK_BEFORE : 0));
        count++;
        line_break = 0;
        p = end;
    }
    if (with_texts) {
        if (!(texts = PyList_New(count)))
            goto fail;
        for (Py_ssize_t k = 0; k < count; k++) {
            PyObject *sub = PyUnicode_Substring(text, starts[k], ends[k]);
            if (!sub)
                goto fail;
            PyList_SET_ITEM(texts, k, sub);
        }
    } else {
        texts = Py_NewRef(Py_None);
    }
    if (_PyBytes_Resize(&start_bytes, count * sizeof(int64_t)) || _PyBytes_Resize(&end_bytes, count * sizeof(int64_t))
        || _PyBytes_Resize(&flag_bytes, count))
        goto fail;
    return Py_BuildValue("(NNNN)", start_bytes, end_bytes, texts, flag_bytes);
fail:
    Py_XDECREF(start_bytes);
    Py_XDECREF(end_bytes);
    Py_XDECREF(flag_bytes);
    Py_XDECREF(texts);
    return NULL;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_O, "Set the table of character classes (bytes, one per code point)."},
    {"scan", scan, METH_VARARGS, "scan(text, with_texts=False) -> (starts, ends, texts or None, flags)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_tokens", NULL, -1, methods};

PyMODINIT_FUNC PyInit__tokens(void)
{
    return PyModule_Create(&module);
}
