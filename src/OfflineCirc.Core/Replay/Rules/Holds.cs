using OfflineCirc.Core.Model;

namespace OfflineCirc.Core.Replay.Rules;

/// <summary>Hold targeting, capture and routing shared by check-out, renewal and check-in.</summary>
internal static class Holds
{
    /// <summary>How long a captured item waits on the holds shelf (no per-org setting exists yet).</summary>
    public const int ShelfDays = 7;

    /// <summary>Whether a hold could be filled by the item: aimed at it, or at its record when the item is holdable.</summary>
    public static bool CanFill(HoldRow hold, ItemRow item) =>
        hold.TargetItemId == item.Id || (hold.TargetItemId is null && hold.TargetRecordId == item.RecordId && item.Holdable);

    /// <summary>The oldest pending, unfrozen hold the item can fill: holds on the item first, then on its record.</summary>
    public static HoldRow? NextPending(ReplayState s, ItemRow item, long? exceptPatronId = null) =>
        First(s, item, Wanted.Pending, exceptPatronId);

    /// <summary>The hold the item is captured for (the first in the queue's order, should there be several).</summary>
    public static HoldRow? CapturedFor(ReplayState s, ItemRow item) => First(s, item, Wanted.Captured, null);

    /// <summary>The patron's own pending hold the item can fill, frozen or not, first in the queue's order.</summary>
    public static HoldRow? OwnPending(ReplayState s, ItemRow item, long patronId) => First(s, item, Wanted.Own, patronId);

    private enum Wanted
    {
        /// <summary>Pending, not frozen, and not the patron's (when one is given).</summary>
        Pending,
        Captured,
        /// <summary>Pending and the patron's.</summary>
        Own,
    }

    /// <summary>
    /// The first hold in the queue's order that the item can fill or is captured for, as <paramref name="wanted"/>
    /// says. One pass over the holds that can concern the item (<see cref="ReplayState.HoldsFor"/>), keeping the best
    /// so far: it runs for most check-ins and check-outs, and a query of ordered iterators and delegates per call was a
    /// tenth of what the replay allocated (docs/adr-018, finding 42).
    /// </summary>
    private static HoldRow? First(ReplayState s, ItemRow item, Wanted wanted, long? patronId)
    {
        HoldRow? best = null;
        var (onItem, onRecord) = s.HoldsFor(item);
        foreach (var list in (ReadOnlySpan<List<HoldRow>>)[onItem, onRecord])
        {
            foreach (var h in list)
            {
                var match = wanted switch
                {
                    Wanted.Captured => h.Status == HoldStatus.Captured && h.CapturedItemId == item.Id,
                    Wanted.Own => h.Status == HoldStatus.Pending && h.PatronId == patronId && CanFill(h, item),
                    _ => h.Status == HoldStatus.Pending && !h.Frozen && h.PatronId != patronId && CanFill(h, item),
                };
                if (match && (best is null || ComesBefore(h, best, item)))
                {
                    best = h;
                }
            }
        }
        return best;
    }

    /// <summary>The queue's order: a hold on the item itself before one on its record, then the older request, then the lower id.</summary>
    private static bool ComesBefore(HoldRow a, HoldRow b, ItemRow item)
    {
        var aOnItem = a.TargetItemId == item.Id;
        if (aOnItem != (b.TargetItemId == item.Id))
        {
            return aOnItem;
        }
        return a.RequestTime != b.RequestTime ? a.RequestTime < b.RequestTime : a.Id < b.Id;
    }

    /// <summary>Returns a captured hold to the queue so another copy can fill it.</summary>
    public static void Release(HoldRow hold)
    {
        hold.Status = HoldStatus.Pending;
        hold.CapturedItemId = null;
        hold.CaptureTime = null;
        hold.ShelfExpiryTime = null;
        hold.Dirty = true;
    }

    public static void Fulfil(HoldRow hold, ItemRow item, DateTimeOffset at)
    {
        hold.Status = HoldStatus.Fulfilled;
        hold.CapturedItemId = item.Id;
        hold.CaptureTime ??= at;
        hold.FulfilledTime = at;
        hold.Dirty = true;
    }

    /// <summary>
    /// Captures the item for a hold at check-in: on the shelf when the pickup org is where it was checked in
    /// (HOLD_SHELF), else in transit to the pickup org (HOLD_TRANSIT).
    /// </summary>
    public static void Capture(HoldRow hold, ItemRow item, TxRow tx, DateTimeOffset at, int orgId, int? workstationId, RunContext ctx, ReplayState s, Outcome o)
    {
        hold.Status = HoldStatus.Captured;
        hold.CapturedItemId = item.Id;
        hold.CaptureTime ??= at;
        hold.Dirty = true;
        o.HoldId = hold.Id;
        if (hold.PickupOrgId == orgId)
        {
            var calendar = ctx.Calendar(orgId);
            hold.ShelfExpiryTime = calendar.EndOfDayOn(calendar.NextOpenDay(calendar.LocalDateOf(at).PlusDays(ShelfDays)));
            Loans.SetStatus(item, ItemStatus.OnHoldsShelf, at, ctx);
            o.FollowUp(FollowUpKinds.HoldShelf);
            return;
        }
        hold.ShelfExpiryTime = null;
        var transit = StartTransit(item, orgId, hold.PickupOrgId, hold.Id, tx, at, workstationId, ctx, s);
        o.TransitId = transit.Id;
        o.FollowUp(FollowUpKinds.HoldTransit);
    }

    public static TransitRow StartTransit(ItemRow item, int fromOrgId, int toOrgId, long? holdId, TxRow tx, DateTimeOffset at, int? workstationId, RunContext ctx, ReplayState s)
    {
        var transit = new TransitRow
        {
            Id = s.Ids.Next(IdTables.Transits),
            ItemId = item.Id,
            FromOrgId = fromOrgId,
            ToOrgId = toOrgId,
            SentTime = at,
            HoldId = holdId,
            WorkstationId = workstationId,
            OriginSessionId = ctx.SessionId,
            OriginTransactionId = tx.Id,
            IsNew = true,
        };
        s.AddTransit(transit);
        Loans.SetStatus(item, ItemStatus.InTransit, at, ctx);
        return transit;
    }

    /// <summary>Marks an open transit received at <paramref name="at"/>.</summary>
    public static TransitRow? Receive(ReplayState s, ItemRow item, DateTimeOffset at)
    {
        if (!s.OpenTransitByItem.Remove(item.Id, out var transit))
        {
            return null;
        }
        transit.ReceivedTime = at < transit.SentTime ? transit.SentTime : at;
        transit.Dirty = true;
        return transit;
    }
}

/// <summary>Tables whose ids the replay reserves before it applies a batch.</summary>
internal static class IdTables
{
    public const string Circulations = "circulations";
    public const string Transits = "transits";
    public const string Billings = "billings";
    public const string Patrons = "patrons";
    public const string Cards = "cards";
    public const string PatronBlocks = "patron_blocks";
    public const string NoncatCirculations = "noncat_circulations";
    public const string InHouseUses = "in_house_uses";
    public const string Payments = "payments";
}
