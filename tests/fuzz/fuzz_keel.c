/* libFuzzer target: the KEEL .dat reader and the encoder behind imbal_dataset_load_keel
 * (and imbal_dataset_load_many for two files). Input: one option byte, then the file. */
#include "fuzz_dataset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_dataset(data, size, IMBAL_FORMAT_KEEL, ".dat");
}
