using Rewind.Core.Incidents;
using Rewind.Core.Notifications;
using Rewind.Core.Storage;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task NotificationCursor_NewStore_StartsAfterTheTimelineAlreadyWritten()
    {
        var location = await Fixture.CreateEmptyLocationAsync();
        var store = Fixture.Open(location);
        await store.MigrateAsync();

        (await store.GetNotificationCursorAsync()).ShouldBe(0);
        var incident = await store.OpenIncidentAsync(NewComponent(), Severity.P1, "down", null, null, T0, "alice");
        (await store.GetTimelineAfterAsync(0, 10)).ShouldHaveSingleItem().Entry.IncidentId.ShouldBe(incident.Id);
    }

    [Fact]
    public async Task GetTimelineAfterAsync_AppendedEntries_ReturnsThemInAppendOrderWithMilestones()
    {
        var store = await FreshStoreAsync();
        var incident = await store.OpenIncidentAsync(NewComponent(), Severity.P1, "down", null, null, T0, "alice");
        await store.AppendTimelineAsync(new TimelineEvent(incident.Id, T0.AddSeconds(1), TimelineKinds.Rollback, "RB started", "executor", TimelineMilestones.RollbackStarted));
        await store.AppendTimelineAsync(new TimelineEvent(incident.Id, T0, TimelineKinds.Note, "earlier, appended later", "bob"));

        var entries = await store.GetTimelineAfterAsync(0, 10);
        var afterFirst = await store.GetTimelineAfterAsync(entries[0].Seq, 1);

        entries.Select(e => e.Entry.Kind).ShouldBe([TimelineKinds.Opened, TimelineKinds.Rollback, TimelineKinds.Note]);
        entries.Select(e => e.Seq).ShouldBeInOrder(SortDirection.Ascending);
        entries[1].Entry.Milestone.ShouldBe(TimelineMilestones.RollbackStarted);
        entries[2].Entry.Milestone.ShouldBeNull();
        afterFirst.ShouldHaveSingleItem().Seq.ShouldBe(entries[1].Seq);
        (await store.GetTimelineAsync(incident.Id)).Single(e => e.Kind == TimelineKinds.Rollback).Milestone.ShouldBe(TimelineMilestones.RollbackStarted);
    }

    [Fact]
    public async Task EnqueueNotificationsAsync_SameChannelAndEntryTwice_IsSuppressedAndTheCursorOnlyMovesForward()
    {
        var store = await FreshStoreAsync();

        var first = await store.EnqueueNotificationsAsync([Message("hook", 7), Message("mail", 7)], 7);
        var again = await store.EnqueueNotificationsAsync([Message("hook", 7), Message("hook", 8)], 5);

        first.ShouldBe(2);
        again.ShouldBe(1);
        (await store.GetNotificationCursorAsync()).ShouldBe(7);
        (await store.GetPendingNotificationsAsync("hook", 10)).Select(m => m.SourceSeq).ShouldBe([7, 8]);
    }

    [Fact]
    public async Task EnqueueNotificationsAsync_FailsMidBatch_KeepsTheCursorAndNoMessage_SoTheEntriesAreReadAgain()
    {
        var store = await FreshStoreAsync();
        var hook = Message("hook", 9);

        // The second row breaks the outbox's unique delivery ID: the transaction stops after the first row was inserted.
        await Should.ThrowAsync<System.Data.Common.DbException>(() => store.EnqueueNotificationsAsync([hook, Message("mail", 9) with { DeliveryId = hook.DeliveryId }], 9));

        (await store.GetNotificationCursorAsync()).ShouldBe(0);
        (await store.GetPendingNotificationsAsync("hook", 10)).ShouldBeEmpty();
        (await store.EnqueueNotificationsAsync([hook, Message("mail", 9)], 9)).ShouldBe(2);
        (await store.GetNotificationCursorAsync()).ShouldBe(9);
    }

    [Fact]
    public async Task ClaimNotificationAsync_TwoDispatchers_OnlyOneGetsTheMessageAndTheAttemptIsCounted()
    {
        var store = await FreshStoreAsync();
        await store.EnqueueNotificationsAsync([Message("hook", 1)], 1);
        var message = (await store.GetPendingNotificationsAsync("hook", 1)).ShouldHaveSingleItem();

        var first = await store.ClaimNotificationAsync(message.Seq, message.NextAttemptAt, T0.AddSeconds(1), T0.AddMinutes(1));
        var second = await store.ClaimNotificationAsync(message.Seq, message.NextAttemptAt, T0.AddSeconds(1), T0.AddMinutes(1));

        first.ShouldBeTrue();
        second.ShouldBeFalse();
        var claimed = (await store.GetPendingNotificationsAsync("hook", 1)).ShouldHaveSingleItem();
        claimed.Attempts.ShouldBe(1);
        claimed.LastAttemptAt.ShouldBe(T0.AddSeconds(1));
        claimed.NextAttemptAt.ShouldBe(T0.AddMinutes(1)); // a dispatcher that dies mid-send leaves it due again then
    }

    [Fact]
    public async Task NotificationLifecycle_RetryThenSentThenFailed_IsRecordedAndListedByStatus()
    {
        var store = await FreshStoreAsync();
        await store.EnqueueNotificationsAsync([Message("hook", 1), Message("hook", 2), Message("mail", 3)], 3);
        var pending = await store.GetPendingNotificationsAsync("hook", 10);

        await store.ClaimNotificationAsync(pending[0].Seq, pending[0].NextAttemptAt, T0, T0.AddMinutes(1));
        await store.ScheduleNotificationRetryAsync(pending[0].Seq, T0.AddSeconds(2), "status 503 Service Unavailable");
        await store.ScheduleNotificationRetryAsync(pending[0].Seq, T0.AddSeconds(3), null);
        var retrying = (await store.GetPendingNotificationsAsync("hook", 10))[0];
        await store.MarkNotificationSentAsync(pending[0].Seq, T0.AddSeconds(4));
        await store.MarkNotificationFailedAsync(pending[1].Seq, T0.AddSeconds(5), "gave up");

        retrying.NextAttemptAt.ShouldBe(T0.AddSeconds(3));
        retrying.LastError.ShouldBe("status 503 Service Unavailable"); // kept when a retry brings no new error
        var sent = (await store.GetNotificationsAsync(NotificationStatus.Sent, 10)).ShouldHaveSingleItem();
        sent.Seq.ShouldBe(pending[0].Seq);
        sent.SentAt.ShouldBe(T0.AddSeconds(4));
        sent.Attempts.ShouldBe(1);
        (await store.GetNotificationsAsync(NotificationStatus.Failed, 10)).ShouldHaveSingleItem().LastError.ShouldBe("gave up");
        (await store.GetNotificationsAsync(NotificationStatus.Pending, 10)).ShouldHaveSingleItem().Channel.ShouldBe("mail");
        (await store.GetNotificationsAsync(null, 10)).Select(m => m.SourceSeq).ShouldBe([3, 2, 1]); // newest first
        (await store.GetPendingNotificationsAsync("hook", 10)).ShouldBeEmpty();
    }

    [Fact]
    public async Task GetOutboxDepthAsync_PendingAndFailed_CountedPerChannel()
    {
        var store = await FreshStoreAsync();
        await store.EnqueueNotificationsAsync([Message("hook", 1), Message("hook", 2, T0.AddSeconds(1)), Message("mail", 1), Message("chat", 1)], 2);
        var mail = (await store.GetPendingNotificationsAsync("mail", 1))[0];
        var chat = (await store.GetPendingNotificationsAsync("chat", 1))[0];
        await store.MarkNotificationFailedAsync(mail.Seq, T0, "gave up");
        await store.MarkNotificationSentAsync(chat.Seq, T0);

        var depth = await store.GetOutboxDepthAsync();

        depth.ShouldBe([new OutboxDepth("hook", 2, 0, T0), new OutboxDepth("mail", 0, 1, null)]);
    }

    [Fact]
    public async Task EnqueueNotificationsAsync_Message_RoundTripsEveryField()
    {
        var store = await FreshStoreAsync();
        var message = Message("hook", 42) with { Event = NotificationEvent.RollbackFailed, Text = "ROLLBACK FAILED\nsecond line ✓", Payload = """{"text":"ROLLBACK FAILED ✓"}""" };

        await store.EnqueueNotificationsAsync([message], 42);

        var stored = (await store.GetPendingNotificationsAsync("hook", 1)).ShouldHaveSingleItem();
        stored.ShouldBe(new OutboxMessage(stored.Seq, message.DeliveryId, "hook", 42, "INC-2026-03-14-0001", NotificationEvent.RollbackFailed, message.Text, message.Payload, NotificationStatus.Pending, 0, T0, T0, null, null, null));
    }

    private static NewNotification Message(string channel, long source, DateTimeOffset? at = null) =>
        new(Guid.NewGuid().ToString(), channel, source, "INC-2026-03-14-0001", NotificationEvent.Opened, "opened", """{"event":"opened"}""", at ?? T0);

    /// <summary>The outbox and the cursor are global, so each test gets its own database.</summary>
    private async Task<IStore> FreshStoreAsync()
    {
        var store = Fixture.Open(await Fixture.CreateEmptyLocationAsync());
        await store.MigrateAsync();
        return store;
    }
}
