/* A string's UTF-8 as json.dumps(ensure_ascii=False, separators=(",", ":")) writes it, shared by the compiled
 * writers of canonical JSONL (core/_relations.c from a str, store/_export_links.c from SQLite's bytes): ", \ and the
 * control characters escaped as json does, every other byte as it is. */
#ifndef ANNOTATOR_JSON_ESCAPE_H
#define ANNOTATOR_JSON_ESCAPE_H

#include <stddef.h>

/* the longest escape, \u00XX, is six bytes for one: the room to leave for n bytes */
#define JSON_STRING_ROOM(n) ((n) * 6 + 2)

/* writes the quoted string at ``o`` (JSON_STRING_ROOM(n) bytes there) and returns the end of what it wrote */
static inline char *json_string_into(char *o, const char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o++ = '"';
    return o;
}

#endif
