package io.clearhouse.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The initial state of a batch as the benchmark reads it: bank id to account to balance, in file order. The
 * command's own reader validates much more; the generator's files are valid by construction.
 *
 * @param balancesByBank bank id to its accounts' opening balances
 */
record BatchState(Map<String, Map<String, Long>> balancesByBank) {
    static BatchState read(Path file) throws IOException {
        LinkedHashMap<String, LinkedHashMap<String, Long>> read =
                new ObjectMapper().readValue(file.toFile(), new TypeReference<>() {});
        return new BatchState(new LinkedHashMap<>(read));
    }
}
