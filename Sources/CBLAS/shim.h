// OpenBLAS's CBLAS interface plus its extensions (openblas_get_corename, thread control).
#include <x86_64-linux-gnu/openblas-pthread/cblas.h>
