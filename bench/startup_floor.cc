// The start-up floor: a C++ program that does nothing, linked against every
// shared library logchain loads. bench/run times it next to `logchain
// /dev/null` so that the start-up target can be read against what exec and
// the dynamic loader alone cost for these libraries on the machine at hand.
int main() { return 0; }
