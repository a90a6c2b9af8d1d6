//! The keyboard graphs (zxcvbn's adjacency_graphs): for each key, its neighbours in the graph's direction order.
//! Kept as text parsed once, where 3.1.1 built them with a thousand `insert` calls (30 KB of wasm code).

use std::collections::HashMap;
use std::sync::LazyLock;

/// One line per key: the key, then its neighbours, tab-separated, an empty field where there is none.
fn graph(data: &'static str) -> HashMap<char, Vec<Option<&'static str>>> {
    data.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let key = fields.next()?.chars().next()?;
            Some((key, fields.map(|n| (!n.is_empty()).then_some(n)).collect()))
        })
        .collect()
}

pub static QWERTY: LazyLock<HashMap<char, Vec<Option<&'static str>>>> =
    LazyLock::new(|| graph(QWERTY_DATA));
pub static DVORAK: LazyLock<HashMap<char, Vec<Option<&'static str>>>> =
    LazyLock::new(|| graph(DVORAK_DATA));
pub static KEYPAD: LazyLock<HashMap<char, Vec<Option<&'static str>>>> =
    LazyLock::new(|| graph(KEYPAD_DATA));
pub static MAC_KEYPAD: LazyLock<HashMap<char, Vec<Option<&'static str>>>> =
    LazyLock::new(|| graph(MAC_KEYPAD_DATA));

const QWERTY_DATA: &str = "\
!\t`~\t\t\t2@\tqQ\t\n\
\"\t;:\t[{\t]}\t\t\t/?\n\
#\t2@\t\t\t4$\teE\twW\n\
$\t3#\t\t\t5%\trR\teE\n\
%\t4$\t\t\t6^\ttT\trR\n\
&\t6^\t\t\t8*\tuU\tyY\n\
'\t;:\t[{\t]}\t\t\t/?\n\
(\t8*\t\t\t0)\toO\tiI\n\
)\t9(\t\t\t-_\tpP\toO\n\
*\t7&\t\t\t9(\tiI\tuU\n\
+\t-_\t\t\t\t]}\t[{\n\
,\tmM\tkK\tlL\t.>\t\t\n\
-\t0)\t\t\t=+\t[{\tpP\n\
.\t,<\tlL\t;:\t/?\t\t\n\
/\t.>\t;:\t'\"\t\t\t\n\
0\t9(\t\t\t-_\tpP\toO\n\
1\t`~\t\t\t2@\tqQ\t\n\
2\t1!\t\t\t3#\twW\tqQ\n\
3\t2@\t\t\t4$\teE\twW\n\
4\t3#\t\t\t5%\trR\teE\n\
5\t4$\t\t\t6^\ttT\trR\n\
6\t5%\t\t\t7&\tyY\ttT\n\
7\t6^\t\t\t8*\tuU\tyY\n\
8\t7&\t\t\t9(\tiI\tuU\n\
9\t8*\t\t\t0)\toO\tiI\n\
:\tlL\tpP\t[{\t'\"\t/?\t.>\n\
;\tlL\tpP\t[{\t'\"\t/?\t.>\n\
<\tmM\tkK\tlL\t.>\t\t\n\
=\t-_\t\t\t\t]}\t[{\n\
>\t,<\tlL\t;:\t/?\t\t\n\
?\t.>\t;:\t'\"\t\t\t\n\
@\t1!\t\t\t3#\twW\tqQ\n\
A\t\tqQ\twW\tsS\tzZ\t\n\
B\tvV\tgG\thH\tnN\t\t\n\
C\txX\tdD\tfF\tvV\t\t\n\
D\tsS\teE\trR\tfF\tcC\txX\n\
E\twW\t3#\t4$\trR\tdD\tsS\n\
F\tdD\trR\ttT\tgG\tvV\tcC\n\
G\tfF\ttT\tyY\thH\tbB\tvV\n\
H\tgG\tyY\tuU\tjJ\tnN\tbB\n\
I\tuU\t8*\t9(\toO\tkK\tjJ\n\
J\thH\tuU\tiI\tkK\tmM\tnN\n\
K\tjJ\tiI\toO\tlL\t,<\tmM\n\
L\tkK\toO\tpP\t;:\t.>\t,<\n\
M\tnN\tjJ\tkK\t,<\t\t\n\
N\tbB\thH\tjJ\tmM\t\t\n\
O\tiI\t9(\t0)\tpP\tlL\tkK\n\
P\toO\t0)\t-_\t[{\t;:\tlL\n\
Q\t\t1!\t2@\twW\taA\t\n\
R\teE\t4$\t5%\ttT\tfF\tdD\n\
S\taA\twW\teE\tdD\txX\tzZ\n\
T\trR\t5%\t6^\tyY\tgG\tfF\n\
U\tyY\t7&\t8*\tiI\tjJ\thH\n\
V\tcC\tfF\tgG\tbB\t\t\n\
W\tqQ\t2@\t3#\teE\tsS\taA\n\
X\tzZ\tsS\tdD\tcC\t\t\n\
Y\ttT\t6^\t7&\tuU\thH\tgG\n\
Z\t\taA\tsS\txX\t\t\n\
[\tpP\t-_\t=+\t]}\t'\"\t;:\n\
\\\t]}\t\t\t\t\t\n\
]\t[{\t=+\t\t\\|\t\t'\"\n\
^\t5%\t\t\t7&\tyY\ttT\n\
_\t0)\t\t\t=+\t[{\tpP\n\
`\t\t\t\t1!\t\t\n\
a\t\tqQ\twW\tsS\tzZ\t\n\
b\tvV\tgG\thH\tnN\t\t\n\
c\txX\tdD\tfF\tvV\t\t\n\
d\tsS\teE\trR\tfF\tcC\txX\n\
e\twW\t3#\t4$\trR\tdD\tsS\n\
f\tdD\trR\ttT\tgG\tvV\tcC\n\
g\tfF\ttT\tyY\thH\tbB\tvV\n\
h\tgG\tyY\tuU\tjJ\tnN\tbB\n\
i\tuU\t8*\t9(\toO\tkK\tjJ\n\
j\thH\tuU\tiI\tkK\tmM\tnN\n\
k\tjJ\tiI\toO\tlL\t,<\tmM\n\
l\tkK\toO\tpP\t;:\t.>\t,<\n\
m\tnN\tjJ\tkK\t,<\t\t\n\
n\tbB\thH\tjJ\tmM\t\t\n\
o\tiI\t9(\t0)\tpP\tlL\tkK\n\
p\toO\t0)\t-_\t[{\t;:\tlL\n\
q\t\t1!\t2@\twW\taA\t\n\
r\teE\t4$\t5%\ttT\tfF\tdD\n\
s\taA\twW\teE\tdD\txX\tzZ\n\
t\trR\t5%\t6^\tyY\tgG\tfF\n\
u\tyY\t7&\t8*\tiI\tjJ\thH\n\
v\tcC\tfF\tgG\tbB\t\t\n\
w\tqQ\t2@\t3#\teE\tsS\taA\n\
x\tzZ\tsS\tdD\tcC\t\t\n\
y\ttT\t6^\t7&\tuU\thH\tgG\n\
z\t\taA\tsS\txX\t\t\n\
{\tpP\t-_\t=+\t]}\t'\"\t;:\n\
|\t]}\t\t\t\t\t\n\
}\t[{\t=+\t\t\\|\t\t'\"\n\
~\t\t\t\t1!\t\t";

const DVORAK_DATA: &str = "\
!\t`~\t\t\t2@\t'\"\t\n\
\"\t\t1!\t2@\t,<\taA\t\n\
#\t2@\t\t\t4$\t.>\t,<\n\
$\t3#\t\t\t5%\tpP\t.>\n\
%\t4$\t\t\t6^\tyY\tpP\n\
&\t6^\t\t\t8*\tgG\tfF\n\
'\t\t1!\t2@\t,<\taA\t\n\
(\t8*\t\t\t0)\trR\tcC\n\
)\t9(\t\t\t[{\tlL\trR\n\
*\t7&\t\t\t9(\tcC\tgG\n\
+\t/?\t]}\t\t\\|\t\t-_\n\
,\t'\"\t2@\t3#\t.>\toO\taA\n\
-\tsS\t/?\t=+\t\t\tzZ\n\
.\t,<\t3#\t4$\tpP\teE\toO\n\
/\tlL\t[{\t]}\t=+\t-_\tsS\n\
0\t9(\t\t\t[{\tlL\trR\n\
1\t`~\t\t\t2@\t'\"\t\n\
2\t1!\t\t\t3#\t,<\t'\"\n\
3\t2@\t\t\t4$\t.>\t,<\n\
4\t3#\t\t\t5%\tpP\t.>\n\
5\t4$\t\t\t6^\tyY\tpP\n\
6\t5%\t\t\t7&\tfF\tyY\n\
7\t6^\t\t\t8*\tgG\tfF\n\
8\t7&\t\t\t9(\tcC\tgG\n\
9\t8*\t\t\t0)\trR\tcC\n\
:\t\taA\toO\tqQ\t\t\n\
;\t\taA\toO\tqQ\t\t\n\
<\t'\"\t2@\t3#\t.>\toO\taA\n\
=\t/?\t]}\t\t\\|\t\t-_\n\
>\t,<\t3#\t4$\tpP\teE\toO\n\
?\tlL\t[{\t]}\t=+\t-_\tsS\n\
@\t1!\t\t\t3#\t,<\t'\"\n\
A\t\t'\"\t,<\toO\t;:\t\n\
B\txX\tdD\thH\tmM\t\t\n\
C\tgG\t8*\t9(\trR\ttT\thH\n\
D\tiI\tfF\tgG\thH\tbB\txX\n\
E\toO\t.>\tpP\tuU\tjJ\tqQ\n\
F\tyY\t6^\t7&\tgG\tdD\tiI\n\
G\tfF\t7&\t8*\tcC\thH\tdD\n\
H\tdD\tgG\tcC\ttT\tmM\tbB\n\
I\tuU\tyY\tfF\tdD\txX\tkK\n\
J\tqQ\teE\tuU\tkK\t\t\n\
K\tjJ\tuU\tiI\txX\t\t\n\
L\trR\t0)\t[{\t/?\tsS\tnN\n\
M\tbB\thH\ttT\twW\t\t\n\
N\ttT\trR\tlL\tsS\tvV\twW\n\
O\taA\t,<\t.>\teE\tqQ\t;:\n\
P\t.>\t4$\t5%\tyY\tuU\teE\n\
Q\t;:\toO\teE\tjJ\t\t\n\
R\tcC\t9(\t0)\tlL\tnN\ttT\n\
S\tnN\tlL\t/?\t-_\tzZ\tvV\n\
T\thH\tcC\trR\tnN\twW\tmM\n\
U\teE\tpP\tyY\tiI\tkK\tjJ\n\
V\twW\tnN\tsS\tzZ\t\t\n\
W\tmM\ttT\tnN\tvV\t\t\n\
X\tkK\tiI\tdD\tbB\t\t\n\
Y\tpP\t5%\t6^\tfF\tiI\tuU\n\
Z\tvV\tsS\t-_\t\t\t\n\
[\t0)\t\t\t]}\t/?\tlL\n\
\\\t=+\t\t\t\t\t\n\
]\t[{\t\t\t\t=+\t/?\n\
^\t5%\t\t\t7&\tfF\tyY\n\
_\tsS\t/?\t=+\t\t\tzZ\n\
`\t\t\t\t1!\t\t\n\
a\t\t'\"\t,<\toO\t;:\t\n\
b\txX\tdD\thH\tmM\t\t\n\
c\tgG\t8*\t9(\trR\ttT\thH\n\
d\tiI\tfF\tgG\thH\tbB\txX\n\
e\toO\t.>\tpP\tuU\tjJ\tqQ\n\
f\tyY\t6^\t7&\tgG\tdD\tiI\n\
g\tfF\t7&\t8*\tcC\thH\tdD\n\
h\tdD\tgG\tcC\ttT\tmM\tbB\n\
i\tuU\tyY\tfF\tdD\txX\tkK\n\
j\tqQ\teE\tuU\tkK\t\t\n\
k\tjJ\tuU\tiI\txX\t\t\n\
l\trR\t0)\t[{\t/?\tsS\tnN\n\
m\tbB\thH\ttT\twW\t\t\n\
n\ttT\trR\tlL\tsS\tvV\twW\n\
o\taA\t,<\t.>\teE\tqQ\t;:\n\
p\t.>\t4$\t5%\tyY\tuU\teE\n\
q\t;:\toO\teE\tjJ\t\t\n\
r\tcC\t9(\t0)\tlL\tnN\ttT\n\
s\tnN\tlL\t/?\t-_\tzZ\tvV\n\
t\thH\tcC\trR\tnN\twW\tmM\n\
u\teE\tpP\tyY\tiI\tkK\tjJ\n\
v\twW\tnN\tsS\tzZ\t\t\n\
w\tmM\ttT\tnN\tvV\t\t\n\
x\tkK\tiI\tdD\tbB\t\t\n\
y\tpP\t5%\t6^\tfF\tiI\tuU\n\
z\tvV\tsS\t-_\t\t\t\n\
{\t0)\t\t\t]}\t/?\tlL\n\
|\t=+\t\t\t\t\t\n\
}\t[{\t\t\t\t=+\t/?\n\
~\t\t\t\t1!\t\t";

const KEYPAD_DATA: &str = "\
*\t/\t\t\t\t-\t+\t9\t8\n\
+\t9\t*\t-\t\t\t\t\t6\n\
-\t*\t\t\t\t\t\t+\t9\n\
.\t0\t2\t3\t\t\t\t\t\n\
/\t\t\t\t\t*\t9\t8\t7\n\
0\t\t1\t2\t3\t.\t\t\t\n\
1\t\t\t4\t5\t2\t0\t\t\n\
2\t1\t4\t5\t6\t3\t.\t0\t\n\
3\t2\t5\t6\t\t\t\t.\t0\n\
4\t\t\t7\t8\t5\t2\t1\t\n\
5\t4\t7\t8\t9\t6\t3\t2\t1\n\
6\t5\t8\t9\t+\t\t\t3\t2\n\
7\t\t\t\t/\t8\t5\t4\t\n\
8\t7\t\t/\t*\t9\t6\t5\t4\n\
9\t8\t/\t*\t-\t+\t\t6\t5";

const MAC_KEYPAD_DATA: &str = "\
*\t/\t\t\t\t\t\t-\t9\n\
+\t6\t9\t-\t\t\t\t\t3\n\
-\t9\t/\t*\t\t\t\t+\t6\n\
.\t0\t2\t3\t\t\t\t\t\n\
/\t=\t\t\t\t*\t-\t9\t8\n\
0\t\t1\t2\t3\t.\t\t\t\n\
1\t\t\t4\t5\t2\t0\t\t\n\
2\t1\t4\t5\t6\t3\t.\t0\t\n\
3\t2\t5\t6\t+\t\t\t.\t0\n\
4\t\t\t7\t8\t5\t2\t1\t\n\
5\t4\t7\t8\t9\t6\t3\t2\t1\n\
6\t5\t8\t9\t-\t+\t\t3\t2\n\
7\t\t\t\t=\t8\t5\t4\t\n\
8\t7\t\t=\t/\t9\t6\t5\t4\n\
9\t8\t=\t/\t*\t-\t+\t6\t5\n\
=\t\t\t\t\t/\t9\t8\t7";
