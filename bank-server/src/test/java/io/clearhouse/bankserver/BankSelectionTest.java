package io.clearhouse.bankserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BankSelectionTest {
    @Test
    void expandsNumericRangesInOrderAndKeepsEachIdOnce() {
        assertThat(BankSelection.parse("1,3,5-9,3")).containsExactly("1", "3", "5", "6", "7", "8", "9");
    }

    @Test
    void takesAPartWhoseSidesAreNotBothNumbersAsOneId() {
        assertThat(BankSelection.parse("kit-bank, 2-x ,-3")).containsExactly("kit-bank", "2-x", "-3");
    }

    @Test
    void refusesEmptyIdsBackwardRangesAndHugeRanges() {
        assertThatThrownBy(() -> BankSelection.parse("1,,2")).hasMessageContaining("empty id");
        assertThatThrownBy(() -> BankSelection.parse("9-1")).hasMessageContaining("upwards");
        assertThatThrownBy(() -> BankSelection.parse("1-1000000000")).hasMessageContaining("at most");
    }
}
