namespace OfflineCirc.Core.Replay.Rules;

/// <summary>
/// The skip rule (docs/replay-rules.md, newer activity): when an item's status changed outside this session (an import or another session)
/// after the transaction's effective time, replaying it would overwrite newer facts, so it is skipped, and so is every
/// later transaction of the run on that item. A forced transaction is applied anyway. An item whose change time is
/// unknown (imported without one) has no newer activity. The recording org's
/// SkipOnNewerActivity setting turns the first half off; the run-wide cascade still applies.
/// </summary>
internal static class NewerActivity
{
    public static bool Skips(TxRow tx, ItemRow item, int orgId, RunContext ctx)
    {
        if (tx.Forced)
        {
            return false;
        }
        if (ctx.SkippedItems.Contains(item.Id))
        {
            return true;
        }
        var enabled = ctx.Org(orgId)?.SkipOnNewerActivity ?? true;
        if (enabled && item.StatusChangeSessionId != ctx.SessionId && item.StatusChangedAt is { } changed && changed > tx.EffectiveAt)
        {
            ctx.SkippedItems.Add(item.Id);
            return true;
        }
        return false;
    }

    public static string Message(ItemRow item) =>
        $"Item '{item.Barcode}' changed elsewhere after this was recorded (status {Data.SnakeCaseEnum.ToSnake(item.Status)}" +
        (item.StatusChangedAt is { } at ? $" since {at:yyyy-MM-dd HH:mm:ss'Z'}" : "") + "); not applied. Force it to apply anyway.";
}
