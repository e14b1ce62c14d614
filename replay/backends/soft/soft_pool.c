/* soft_pool.c - a small pool of worker threads that run the items of one
 * job (bands of the render target).  Items are handed out by an atomic
 * counter; an item writes only its own pixels, so output does not depend on
 * which thread ran it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soft_internal.h"

static void run_items(soft_pool *p, soft_job_fn fn, void *arg, uint32_t items, uint32_t worker)
{
    for (;;) {
        uint32_t i = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed);
        if (i >= items) {
            break;
        }
        fn(arg, i, worker);
    }
}

typedef struct worker_arg {
    soft_pool *pool;
    uint32_t index;
} worker_arg;

static void *worker_main(void *varg)
{
    worker_arg *wa = varg;
    soft_pool *p = wa->pool;
    uint32_t index = wa->index;
    free(wa);
    char name[16];
    snprintf(name, sizeof(name), "vgt-soft-%u", index);
    vgt_thread_name(name);
    uint64_t seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->quit && p->generation == seen) {
            pthread_cond_wait(&p->cv_start, &p->mu);
        }
        if (p->quit) {
            break;
        }
        seen = p->generation;
        soft_job_fn fn = p->fn;
        void *arg = p->arg;
        uint32_t items = p->items;
        pthread_mutex_unlock(&p->mu);
        run_items(p, fn, arg, items, index);
        pthread_mutex_lock(&p->mu);
        if (--p->running == 0) {
            pthread_cond_signal(&p->cv_done);
        }
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

vgt_status soft_pool_init(soft_pool *p, uint32_t nthreads, vgt_error *err)
{
    memset(p, 0, sizeof(*p));
    p->nthreads = nthreads ? nthreads : 1;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv_start, NULL);
    pthread_cond_init(&p->cv_done, NULL);
    atomic_init(&p->next, 0);
    if (p->nthreads == 1) {
        return VGT_OK;
    }
    p->threads = calloc(p->nthreads - 1, sizeof(pthread_t));
    if (!p->threads) {
        return vgt_error_set(err, VGT_E_NOMEM, "cannot allocate the worker pool");
    }
    for (uint32_t i = 0; i + 1 < p->nthreads; i++) {
        worker_arg *wa = malloc(sizeof(*wa));
        if (wa) {
            wa->pool = p;
            wa->index = i + 1;
        }
        if (!wa || pthread_create(&p->threads[i], NULL, worker_main, wa) != 0) {
            free(wa);
            p->nthreads = i + 1;
            soft_pool_fini(p);
            return vgt_error_set(err, VGT_E_NOMEM, "cannot start worker thread %u", i + 1);
        }
    }
    return VGT_OK;
}

void soft_pool_fini(soft_pool *p)
{
    if (p->threads) {
        pthread_mutex_lock(&p->mu);
        p->quit = true;
        pthread_cond_broadcast(&p->cv_start);
        pthread_mutex_unlock(&p->mu);
        for (uint32_t i = 0; i + 1 < p->nthreads; i++) {
            pthread_join(p->threads[i], NULL);
        }
        free(p->threads);
        p->threads = NULL;
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv_start);
    pthread_cond_destroy(&p->cv_done);
}

void soft_pool_run(soft_pool *p, soft_job_fn fn, void *arg, uint32_t items)
{
    atomic_store(&p->next, 0);
    if (p->nthreads == 1 || items <= 1) {
        run_items(p, fn, arg, items, 0);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->arg = arg;
    p->items = items;
    p->running = p->nthreads - 1;
    p->generation++;
    pthread_cond_broadcast(&p->cv_start);
    pthread_mutex_unlock(&p->mu);
    run_items(p, fn, arg, items, 0);
    pthread_mutex_lock(&p->mu);
    while (p->running) {
        pthread_cond_wait(&p->cv_done, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
}
