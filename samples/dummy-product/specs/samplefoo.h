/* libsamplefoo: the multilib library of the Pungi.Build sample product. */
#ifndef SAMPLEFOO_H
#define SAMPLEFOO_H
int samplefoo_answer(void);
const char *samplefoo_greeting(void);
#endif
