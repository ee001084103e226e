package io.clearhouse.core.batch;

import io.clearhouse.api.Reason;
import io.clearhouse.api.batch.BatchLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random batches that exercise every outcome: a few hot accounts so that queues grow long, small balances so that
 * funds run out, huge balances so that credits overflow, unknown accounts and refused lines.
 */
final class RandomBatch {
    final Map<String, Map<String, Long>> banks = new LinkedHashMap<>();
    final Map<String, Long> balances = new LinkedHashMap<>();
    final List<BatchLine> lines = new ArrayList<>();

    static RandomBatch generate(long seed, int bankCount, int accountsPerBank, int lineCount) {
        Random random = new Random(seed);
        RandomBatch batch = new RandomBatch();
        List<String> accounts = new ArrayList<>();
        for (int bank = 1; bank <= bankCount; bank++) {
            Map<String, Long> bankBalances = new LinkedHashMap<>();
            for (int account = 0; account < accountsPerBank; account++) {
                String name = "b" + bank + "a" + account;
                long balance = random.nextInt(10) == 0 ? Long.MAX_VALUE - random.nextInt(100) : random.nextInt(200);
                bankBalances.put(name, balance);
                batch.balances.put(name, balance);
                accounts.add(name);
            }
            batch.banks.put(String.valueOf(bank), bankBalances);
        }
        for (int line = 1; line <= lineCount; line++) {
            batch.lines.add(batch.randomLine(random, accounts, line));
        }
        return batch;
    }

    private BatchLine randomLine(Random random, List<String> accounts, int lineNumber) {
        int roll = random.nextInt(100);
        String id = "t" + lineNumber;
        if (roll < 3) {
            return new BatchLine.Refused(lineNumber, id, Reason.INVALID_AMOUNT);
        }
        String from = pick(random, accounts, roll);
        String to = pick(random, accounts, random.nextInt(100));
        if (from.equals(to)) {
            return new BatchLine.Refused(lineNumber, id, Reason.SAME_ACCOUNT);
        }
        if (roll < 6) {
            to = "nobody" + random.nextInt(3);
        }
        return new BatchLine.Transfer(lineNumber, id, from, to, 1 + random.nextInt(120));
    }

    /** A third of the picks go to the first three accounts, which makes long chains. */
    private static String pick(Random random, List<String> accounts, int roll) {
        if (roll % 3 == 0) {
            return accounts.get(random.nextInt(Math.min(3, accounts.size())));
        }
        return accounts.get(random.nextInt(accounts.size()));
    }
}
