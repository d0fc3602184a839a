/* gk_pool_run: the worker threads behind Parallel.perform. libdispatch's concurrentPerform wakes a
   parked worker for every call: in 19% of DCGAN-28 D.conv1's input-gradient calls the worker came
   too late and the caller ran both halves alone, and the sub-millisecond thin layers lost a fifth
   of their time to hand-offs (3 Dec: D.conv1 forward 0.22 ms on libdispatch, 0.17 ms here). Here
   the helpers spin for a while after each job, so the back-to-back calls of a training step find
   them awake, and park on a condition variable when idle.

   One job at a time: a call while another thread's job (or the caller's own, from inside a task)
   holds the pool returns 1 and runs nothing, and the caller does the work another way. Which thread
   runs an iteration never changes a result: iterations write disjoint outputs. */
#include "CKernels.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

/* How long a helper spins for the next job before it parks. */
#define SPIN_NANOSECONDS 300000L

typedef struct {
    gk_pool_task task;
    void *context;
    long iterations;
    atomic_long next, finished;
} job_t;

static struct {
    pthread_mutex_t busy;          /* held by a caller for its whole job */
    pthread_mutex_t sleep_lock;
    pthread_cond_t wake;
    atomic_long generation;        /* bumped for each job */
    _Atomic(job_t *) current;      /* the running job, or NULL */
    atomic_int active;             /* helpers that may be reading `current` */
    atomic_int sleepers;
    int helpers;                   /* started so far */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

static void relax(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
}

/* One turn of a wait loop: a pause, and every 256th turn the rest of the time slice to any other
   thread runnable on this core (a syscall that returns at once when there is none, a few
   microseconds of spinning apart). A waiter that only spins keeps the core from the thread it
   waits for whenever the scheduler has put both on one core, or from another process's thread.
   A DCGAN-28 training step (`gan bench --model dcgan28`) beside one busy-looping process, three
   runs each: 0.129-0.141 s spinning, 0.117-0.122 s yielding; alone, the same within noise. */
static void wait_turn(unsigned turn) {
    relax();
    if ((turn & 255) == 255) sched_yield();
}

static long nanoseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Claims iterations of `j` until none is left. */
static void work_on(job_t *j) {
    for (;;) {
        const long i = atomic_fetch_add(&j->next, 1);
        if (i >= j->iterations) return;
        j->task(j->context, i);
        atomic_fetch_add(&j->finished, 1);
    }
}

/* Waits until the generation differs from `seen`: spinning first, then parked. */
static long next_generation(long seen) {
    const long start = nanoseconds();
    for (int spins = 0;; spins++) {
        const long g = atomic_load(&pool.generation);
        if (g != seen) return g;
        if ((spins & 255) == 255 && nanoseconds() - start > SPIN_NANOSECONDS) break;
        wait_turn((unsigned)spins);
    }
    pthread_mutex_lock(&pool.sleep_lock);
    atomic_fetch_add(&pool.sleepers, 1);
    long g;
    while ((g = atomic_load(&pool.generation)) == seen) pthread_cond_wait(&pool.wake, &pool.sleep_lock);
    atomic_fetch_sub(&pool.sleepers, 1);
    pthread_mutex_unlock(&pool.sleep_lock);
    return g;
}

static void *helper_main(void *unused) {
    (void)unused;
    long seen = atomic_load(&pool.generation);
    for (;;) {
        seen = next_generation(seen);
        /* Announce before reading `current`: a caller clears it and then waits for `active` to
           drain, so a job is never read after its caller returned. */
        atomic_fetch_add(&pool.active, 1);
        job_t *j = atomic_load(&pool.current);
        if (j) work_on(j);
        atomic_fetch_sub(&pool.active, 1);
    }
    return NULL;
}

int gk_pool_run(long iterations, int helpers, gk_pool_task task, void *context) {
    if (iterations <= 0) return 0;
    if (helpers > GK_POOL_MAX_HELPERS) helpers = GK_POOL_MAX_HELPERS;
    if (pthread_mutex_trylock(&pool.busy) != 0) return 1;
    while (pool.helpers < helpers) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, helper_main, NULL) != 0) break;
        pthread_detach(thread);
        pool.helpers++;
    }
    job_t j = {.task = task, .context = context, .iterations = iterations};
    atomic_init(&j.next, 0);
    atomic_init(&j.finished, 0);
    atomic_store(&pool.current, &j);
    atomic_fetch_add(&pool.generation, 1);
    if (atomic_load(&pool.sleepers) > 0) {
        pthread_mutex_lock(&pool.sleep_lock);
        pthread_cond_broadcast(&pool.wake);
        pthread_mutex_unlock(&pool.sleep_lock);
    }
    work_on(&j);
    for (unsigned turn = 0; atomic_load(&j.finished) < iterations; turn++) wait_turn(turn);
    atomic_store(&pool.current, NULL);
    for (unsigned turn = 0; atomic_load(&pool.active) > 0; turn++) wait_turn(turn);
    pthread_mutex_unlock(&pool.busy);
    return 0;
}
