namespace OfflineCirc.Core.Replay.Rules;

/// <summary>In-house use (DESIGN 6.4): counted against the item, attributed to the recording desk.</summary>
internal static class InHouseUse
{
    public static Outcome Apply(TxRow tx, ReplayState s, RunContext ctx)
    {
        var o = new Outcome();
        var (orgId, workstationId) = ctx.Place(tx);
        var item = s.Item(tx.ItemBarcode);
        if (item is null)
        {
            return o.Fail($"No item has barcode '{tx.ItemBarcode}'.", ResultCodes.AssetCopyNotFound);
        }
        o.ItemId = item.Id;
        if (NewerActivity.Skips(tx, item, orgId, ctx))
        {
            return o.Skip(NewerActivity.Message(item), ResultCodes.SkipAssetChanged);
        }
        var count = Math.Clamp(tx.Count ?? 1, 1, 100);
        s.InHouseUses.Add(new NewInHouseUse(
            s.Ids.Next(IdTables.InHouseUses), item.Id, count, tx.EffectiveAt, orgId, workstationId, ctx.SessionId, tx.Id));
        return o.Done($"In-house use x{count} recorded.");
    }
}
