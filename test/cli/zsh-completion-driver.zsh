# Drive the completion function with stubbed zsh completion builtins to see what it offers.
compdef() { :; }
source "$1"
_describe() { shift 2; local a; for a in "$@"; do [[ $a == -- ]] && continue; print -r -- "DESCRIBE ${(P)a}"; done }
compadd() { shift; print -r -- "COMPADD $*"; }
_files() { print -r -- FILES; }
t() { words=("$@"); CURRENT=$#words; PREFIX=${words[CURRENT]}; print -r -- "== $*"; _tocsinctl; }
shift
t "$@"
