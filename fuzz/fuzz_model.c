/*
 * fuzz_model.c — model_desc_parse (the --model value and the scene key `model`)
 * on arbitrary text. A spec that parses builds a model for a small regression and
 * a small 3-class problem (when the model kind allows it), whose parameters are
 * initialised and whose loss and gradient are evaluated once, in training and in
 * evaluation mode.
 */
#include <math.h>

#include "core/model.h"
#include "fuzz.h"

static void exercise(const model_desc *d, data_task task, int k)
{
    static double x[6 * 2] = { 0.5, -1, 1.5, 2, -0.25, 0.75, 3, -3, 0, 0, 1, 1 };
    static double yr[6] = { 0.1, -2, 3, 0.5, 0, 1 };
    static double yc[6] = { 0, 1, 2, 0, 1, 2 };
    dataset ds = { .n = 6, .d = 2, .x = x, .y = task == DATA_CLASSIFICATION ? yc : yr,
                   .task = task, .n_classes = task == DATA_CLASSIFICATION ? k : 0 };
    diag err = { 0 };
    model *m = model_create(d, 2, task, ds.n_classes, &err);
    if (!m) {
        FUZZ_CHECK(err.msg[0] != '\0');
        return;
    }
    int n = model_param_count(m), na = model_aux_count(m);
    FUZZ_CHECK(n > 0 && na >= 0);
    if (n <= 100000) {
        double *th = malloc(sizeof *th * (size_t)n), *g = malloc(sizeof *g * (size_t)n);
        double *aux = na ? malloc(sizeof *aux * (size_t)na) : NULL;
        FUZZ_CHECK(th && g && (aux || !na));
        model_init_params(m, 1, th);
        if (aux)
            model_aux_init(m, aux);
        static const int idx[3] = { 4, 0, 2 };
        for (int l = LOSS_MSE; l <= LOSS_CE; l++) {
            if (task == DATA_REGRESSION && l == LOSS_CE)
                continue;
            model_loss(m, (loss_kind)l, &ds, th, idx, 3, g, aux, 1);
            model_loss(m, (loss_kind)l, &ds, th, NULL, 0, NULL, aux, 0);
        }
        char name[64];
        model_param_name(m, n - 1, name, sizeof name);
        free(th);
        free(g);
        free(aux);
    }
    model_destroy(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *spec = fuzz_cstr(data, size);
    model_desc d = { 0 };
    diag err = { 0 };
    if (!model_desc_parse(spec, &d, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
    } else {
        exercise(&d, DATA_REGRESSION, 0);
        exercise(&d, DATA_CLASSIFICATION, 3);
        exercise(&d, DATA_CLASSIFICATION, 2);
    }
    free(spec);
    return 0;
}
