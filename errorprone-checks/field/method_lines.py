#!/usr/bin/env python3
"""Prints "first last" (1-based, inclusive) for every declaration of a method or constructor named
argv[2] in the Java file argv[1], one line each, nothing if there is none. Overloads and methods
of the same name in nested classes are all printed: a corpus entry names a method, not a
signature. A light scanner, not a parser: it blanks comments, strings and character literals, finds
`name(` after a type or modifier (not after `.`, `new`, `return` or `=`), and follows braces to the
matching one. Enough for the corpus, whose files are ordinary release sources."""
import re
import sys


def blank(text):
    """Replaces comments, string, text-block and char literals by spaces, keeping line breaks."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i)); i = j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j])); i = j
        elif text.startswith('"""', i):
            j = text.find('"""', i + 3)
            j = n if j < 0 else j + 3
            out.append(re.sub(r'[^\n]', ' ', text[i:j])); i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            out.append(' ' * (min(j + 1, n) - i)); i = j + 1
        else:
            out.append(c); i += 1
    return ''.join(out)


def closing(code, start, opener, closer):
    """The index of the bracket that closes the one at start (or the end of code)."""
    depth = 0
    for index in range(start, len(code)):
        if code[index] == opener:
            depth += 1
        elif code[index] == closer:
            depth -= 1
            if depth == 0:
                return index
    return len(code)


def main():
    path, name = sys.argv[1], sys.argv[2]
    code = blank(open(path, encoding='utf-8', errors='replace').read())
    declaration = re.compile(r'(?<![\w.$])' + re.escape(name) + r'\s*\(')
    for match in declaration.finditer(code):
        before = code[:match.start()].rstrip()
        previous = re.search(r'(\S+)$', before)
        if not previous or previous.group(1) in ('new', 'return', '=', 'throw', 'else', 'case'):
            continue
        token = previous.group(1)
        # A declaration's name follows a type (identifier, generic closer, array) or a modifier,
        # a constructor's follows a modifier, an annotation, or the end of the previous member.
        if not re.search(r'[\w>\])]$', token) and token[-1] not in '{};':
            continue
        if re.fullmatch(r'[\w.]+', token) and token in ('if', 'while', 'for', 'switch', 'catch', 'synchronized', 'assert'):
            continue
        # The parameter list, then `{` (a body) or `;` (abstract, or a call statement).
        i = closing(code, match.end() - 1, '(', ')')
        rest = re.match(r'\s*(throws[\w\s.,<>?]*)?\{', code[i + 1:])
        if not rest:
            continue
        j = closing(code, i + rest.end(), '{', '}')
        first = code.count('\n', 0, match.start()) + 1
        # The declaration line may start with modifiers or annotations before the name.
        print(first, code.count('\n', 0, j) + 1)


if __name__ == '__main__':
    main()
