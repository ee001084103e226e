package io.clearhouse.banks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.clearhouse.spi.BankConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the banks file: which banks the server runs, with which adapter, settings and accounts.
 *
 * <pre>{@code
 * {"banks": [
 *   {"id": "1", "type": "memory", "settings": {"directory": "/var/clearhouse/banks/1"},
 *    "accounts": {"alice": 1000, "bob": 0}}
 * ]}
 * }</pre>
 *
 * Bank ids are unique, accounts are unique across all banks, balances are integers in 0..2^63-1 and settings are
 * strings. A durable adapter uses the balances only when it starts with no state of its own. {@code accounts} may be
 * left out for a bank that holds its accounts itself, such as a {@code remote} bank, whose bank server has them.
 */
public final class BanksFile {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private BanksFile() {}

    /**
     * @throws IllegalArgumentException naming the file, the bank and the field when the file cannot be used
     */
    public static List<ConfiguredBank> read(Path path) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(path));
        } catch (JsonProcessingException e) {
            throw problem(
                    path,
                    "invalid JSON: " + e.getOriginalMessage() + " (line "
                            + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw problem(path, "cannot be read: " + e);
        }
        return parse(path, root);
    }

    private static List<ConfiguredBank> parse(Path path, JsonNode root) {
        JsonNode banks = root == null ? null : root.get("banks");
        if (banks == null || !banks.isArray()) {
            throw problem(path, "the top level must be an object with a \"banks\" array");
        }
        List<ConfiguredBank> result = new ArrayList<>();
        Map<String, String> bankOfAccount = new HashMap<>();
        for (int index = 0; index < banks.size(); index++) {
            ConfiguredBank bank = bank(path, banks.get(index), "banks[" + index + "]");
            for (ConfiguredBank earlier : result) {
                if (earlier.bankId().equals(bank.bankId())) {
                    throw problem(path, "banks[" + index + "].id: bank \"" + bank.bankId() + "\" is listed twice");
                }
            }
            for (String account : bank.accounts().keySet()) {
                String other = bankOfAccount.putIfAbsent(account, bank.bankId());
                if (other != null) {
                    throw problem(
                            path,
                            "banks[" + index + "].accounts: account \"" + account + "\" is also in bank \"" + other
                                    + "\"");
                }
            }
            result.add(bank);
        }
        if (result.isEmpty()) {
            throw problem(path, "\"banks\" lists no bank");
        }
        return List.copyOf(result);
    }

    private static ConfiguredBank bank(Path path, JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw problem(path, where + " must be an object");
        }
        String id = text(path, node, where, "id");
        String type = text(path, node, where, "type");
        Map<String, String> settings = new LinkedHashMap<>();
        JsonNode settingsNode = node.get("settings");
        if (settingsNode != null && !settingsNode.isNull()) {
            if (!settingsNode.isObject()) {
                throw problem(path, where + ".settings must be an object of strings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = settingsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> setting = it.next();
                if (!setting.getValue().isTextual()) {
                    throw problem(path, where + ".settings." + setting.getKey() + " must be a string");
                }
                settings.put(setting.getKey(), setting.getValue().textValue());
            }
        }
        return new ConfiguredBank(type, new BankConfig(id, accounts(path, node, where), settings));
    }

    private static Map<String, Long> accounts(Path path, JsonNode node, String where) {
        JsonNode accountsNode = node.get("accounts");
        if (accountsNode == null) {
            // A bank that keeps its own accounts (a remote bank's server has them) names none here.
            return Map.of();
        }
        if (!accountsNode.isObject()) {
            throw problem(path, where + ".accounts must be an object from account id to balance");
        }
        Map<String, Long> accounts = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = accountsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> account = it.next();
            JsonNode balance = account.getValue();
            if (!balance.isIntegralNumber() || !balance.canConvertToLong() || balance.longValue() < 0) {
                throw problem(
                        path,
                        where + ".accounts." + account.getKey() + " must be an integer balance in 0..2^63-1, not "
                                + balance);
            }
            accounts.put(account.getKey(), balance.longValue());
        }
        return accounts;
    }

    private static String text(Path path, JsonNode node, String where, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw problem(path, where + "." + field + " must be a string");
        }
        return value.textValue();
    }

    private static IllegalArgumentException problem(Path path, String text) {
        return new IllegalArgumentException("banks file " + path + ": " + text);
    }
}
