package io.clearhouse.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.Vote;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EffectLoopTest {
    private static TransactionMachine machine(int banks) {
        List<Branch> branches = new ArrayList<>();
        for (int i = 0; i < banks; i++) {
            branches.add(new Branch("bank" + i, List.of(new Posting("account" + i, i == 0 ? -(banks - 1) : 1))));
        }
        List<Posting> postings = new ArrayList<>();
        branches.forEach(branch -> postings.addAll(branch.postings()));
        return new TransactionMachine("7.1", "t1", postings, branches, 3);
    }

    /** A runtime whose banks and log answer at once, on the thread that performs the effect, as in-memory ones do. */
    private static final class InlineLoop extends EffectLoop {
        final List<String> performed = new ArrayList<>();
        Consumer<Effect> beforeAnswer = effect -> {};
        int depth;
        int deepest;

        InlineLoop(TransactionMachine machine) {
            super(machine);
        }

        @Override
        protected void perform(Effect effect) {
            depth++;
            deepest = Math.max(deepest, depth);
            try {
                performed.add(effect.getClass().getSimpleName());
                beforeAnswer.accept(effect);
                answer(effect);
            } finally {
                depth--;
            }
        }

        private void answer(Effect effect) {
            if (effect instanceof Effect.SendPrepare prepare) {
                deliver(new Event.VoteReceived(prepare.xid().bankId(), Vote.COMMIT));
            } else if (effect instanceof Effect.ForceDecision) {
                deliver(Event.DECISION_DURABLE);
            } else if (effect instanceof Effect.SendCommit commit) {
                deliver(new Event.AckReceived(commit.xid().bankId()));
            }
        }
    }

    @Test
    void anAnswerGivenInsideAnEffectWaitsForTheStepsOtherEffectsInsteadOfReenteringTheMachine() {
        InlineLoop loop = new InlineLoop(machine(40));

        loop.deliver(Event.START);

        assertThat(loop.machine().state()).isEqualTo(CoordinatorState.COMPLETED);
        assertThat(loop.deepest).isEqualTo(1);
        // Every prepare of the start step goes out before the first vote is counted, and the timer with them.
        assertThat(loop.performed.subList(0, 41))
                .containsOnly("SendPrepare", "StartPrepareTimer")
                .endsWith("StartPrepareTimer");
    }

    @Test
    void theReplyOfAStepStartsBeforeItsOtherEffects() {
        InlineLoop loop = new InlineLoop(machine(2));

        loop.deliver(Event.START);

        int reply = loop.performed.indexOf("Reply");
        assertThat(loop.performed.subList(reply, loop.performed.size()))
                .containsExactly("Reply", "SendCommit", "SendCommit", "RecordCompletion", "Complete");
    }

    @Test
    void anEventFromAnotherThreadWhileOneDrainsIsLeftToTheDrainingThread() throws Exception {
        InlineLoop loop = new InlineLoop(machine(2));
        List<Thread> steppedOn = new ArrayList<>();
        CountDownLatch delivered = new CountDownLatch(1);
        loop.beforeAnswer = effect -> {
            if (effect instanceof Effect.StartPrepareTimer) {
                Thread other = new Thread(() -> {
                    loop.deliver(Event.PREPARE_TIMED_OUT);
                    delivered.countDown();
                });
                other.start();
                try {
                    // The other thread's delivery returns while this one is still inside the effect.
                    assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            steppedOn.add(Thread.currentThread());
        };

        loop.deliver(Event.START);

        assertThat(steppedOn).containsOnly(Thread.currentThread());
        // The deadline was taken after both votes (it came later), so it changed nothing.
        assertThat(loop.machine().outcome().isCommitted()).isTrue();
        assertThat(loop.machine().state()).isEqualTo(CoordinatorState.COMPLETED);
    }

    @Test
    void anEffectThatThrowsEndsTheDrainAndTheNextDeliveryDrainsWhatWasLeft() {
        InlineLoop loop = new InlineLoop(machine(2));
        RuntimeException broken = new IllegalStateException("broken runtime");
        loop.beforeAnswer = effect -> {
            if (effect instanceof Effect.ForceDecision) {
                loop.beforeAnswer = ignored -> {};
                throw broken;
            }
        };

        assertThatThrownBy(() -> loop.deliver(Event.START)).isSameAs(broken);
        assertThat(loop.machine().state()).isEqualTo(CoordinatorState.COMMITTING);

        loop.deliver(Event.DECISION_DURABLE);

        assertThat(loop.machine().state()).isEqualTo(CoordinatorState.COMPLETED);
        assertThat(loop.depth).isZero();
    }
}
