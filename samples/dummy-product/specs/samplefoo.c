/* Built with -nostdlib: no libc, so neither gcc-multilib nor glibc headers
   are needed, and the only ELF dependency rpm generates is our own soname. */
#include "samplefoo.h"

static const char greeting[] = "hello from libsamplefoo\n";

int samplefoo_answer(void)
{
    return 42;
}

const char *samplefoo_greeting(void)
{
    return greeting;
}
