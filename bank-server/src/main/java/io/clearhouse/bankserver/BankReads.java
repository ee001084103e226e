package io.clearhouse.bankserver;

import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The read resources under {@code /v1/banks/{id}/}: accounts, balances, one account, prepared branches. */
final class BankReads {
    private BankReads() {}

    /**
     * The answer to {@code GET /v1/banks/{id}/} followed by {@code rest}.
     *
     * @throws RequestRefusedException 404 for a resource that does not exist or an account the bank does not hold
     */
    static Object read(BankAdapter bank, List<String> rest) throws RequestRefusedException {
        if (rest.size() == 1) {
            switch (rest.get(0)) {
                case "accounts":
                    return new Wire.Accounts(List.copyOf(bank.accounts()));
                case "balances":
                    return balances(bank);
                case "recover":
                    return prepared(bank);
                default:
                    break;
            }
        }
        if (rest.size() == 2 && rest.get(0).equals("accounts")) {
            return account(bank, rest.get(1));
        }
        throw new RequestRefusedException(404, RequestRefusedException.NOT_FOUND, "no such resource");
    }

    private static Wire.Balances balances(BankAdapter bank) {
        Map<String, Long> posted = bank.postedBalances();
        List<Wire.Balance> balances = new ArrayList<>(posted.size());
        posted.forEach((account, balance) -> balances.add(new Wire.Balance(account, balance)));
        return new Wire.Balances(balances);
    }

    private static Wire.Prepared prepared(BankAdapter bank) {
        List<String> transactions = new ArrayList<>();
        for (Xid xid : bank.recover()) {
            transactions.add(xid.transactionId());
        }
        return new Wire.Prepared(transactions);
    }

    private static Wire.Account account(BankAdapter bank, String account) throws RequestRefusedException {
        AccountBalance balance = bank.account(account)
                .orElseThrow(() -> new RequestRefusedException(
                        404,
                        RequestRefusedException.UNKNOWN_ACCOUNT,
                        "bank " + bank.bankId() + " holds no account " + account));
        return new Wire.Account(balance.account(), balance.posted(), balance.held());
    }
}
