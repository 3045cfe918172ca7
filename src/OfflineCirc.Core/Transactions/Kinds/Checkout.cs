using FluentValidation;
using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Core.Replay.Rules;

namespace OfflineCirc.Core.Transactions.Kinds;

/// <summary>Check-out (docs/replay-rules.md): the item has left the building, so the loan is recorded with warnings.</summary>
public sealed class Checkout : TransactionKind
{
    public const string Code = "checkout";

    public override string Name => Code;

    internal override IValidator<TransactionCandidate> Validator { get; } = new LineRules();

    internal override DateField? EffectiveTime(TransactionCandidate line) => line.CheckoutTime;

    internal override void Reserve(TxRow tx, IdNeeds ids) =>
        ids.Add(string.IsNullOrWhiteSpace(tx.ItemBarcode) ? IdTables.NoncatCirculations : IdTables.Circulations);

    private sealed class LineRules : LoanRules
    {
        public LineRules()
            : base(Code)
        {
            RuleFor(c => c.PatronBarcode).NotNull().WithMessage("checkout without patron_barcode");
            RuleFor(c => c.ItemBarcode).Null()
                .When(c => c.IsNoncat).WithMessage("checkout with both barcode and noncat_type");
            RuleFor(c => c.NoncatCount).Must(n => n.IsWholeNumber && n.Value is >= 1 and <= 100)
                .When(c => c.IsNoncat && c.NoncatCount.Given).WithMessage("noncat_count must be 1-100");
        }
    }

    internal override Outcome Apply(TxRow tx, ReplayState s, RunContext ctx)
    {
        var o = new Outcome();
        var (orgId, workstationId) = ctx.Place(tx);
        var (patron, card) = s.FindPatron(tx.PatronBarcode, ctx.Org(orgId)?.AllowUsernameLookup ?? false);
        if (!string.IsNullOrWhiteSpace(tx.NoncatType) && string.IsNullOrWhiteSpace(tx.ItemBarcode))
        {
            return Noncat(tx, patron, card, orgId, workstationId, s, ctx, o);
        }
        var item = s.Item(tx.ItemBarcode);
        o.PatronId = patron?.Id;
        o.ItemId = item?.Id;
        if (patron is null || item is null)
        {
            var codes = new List<string>();
            if (patron is null)
            {
                codes.Add(ResultCodes.ActorUserNotFound);
            }
            if (item is null)
            {
                codes.Add(ResultCodes.AssetCopyNotFound);
            }
            var what = patron is null && item is null ? "Neither the patron nor the item was found"
                : patron is null ? $"No patron has card '{tx.PatronBarcode}'" : $"No item has barcode '{tx.ItemBarcode}'";
            return o.Fail(what + ".", [.. codes]);
        }
        if (NewerActivity.Skips(tx, item, orgId, ctx))
        {
            return o.Skip(NewerActivity.Message(item), ResultCodes.SkipAssetChanged);
        }
        var at = tx.EffectiveAt;
        var open = s.OpenCirculationByItem.GetValueOrDefault(item.Id);
        if (open is not null && open.PatronId == patron.Id)
        {
            o.Warn(ResultCodes.OpenCirculationExists);
            Loans.Renew(open, item, tx, at, ctx, s, o);
            return o.Done($"Already on loan to this patron: renewed, due {ctx.LocalText(open.CheckoutOrgId, o.DueTime)}.");
        }

        Loans.PatronWarnings(patron, card, orgId, at, ctx, o);
        ItemWarnings(item, o);
        if (open is not null)
        {
            Loans.CloseWithoutFine(open, at, orgId, workstationId, tx, ctx, s);
            o.Warn(ResultCodes.OpenCirculationExists);
        }
        // Evergreen warns on the item's status; a transit row, when there is one, is received either way.
        if (Holds.Receive(s, item, at) is not null | item.Status == ItemStatus.InTransit)
        {
            o.Warn(ResultCodes.CopyInTransit);
        }
        SettleHolds(item, patron, at, s, o);

        var policy = ctx.PolicyFor(orgId, patron.ProfileId, item.CircModifier);
        var circ = new CirculationRow
        {
            Id = s.Ids.Next(IdTables.Circulations),
            PatronId = patron.Id,
            ItemId = item.Id,
            CheckoutTime = at,
            CheckoutOrgId = orgId,
            CheckoutWorkstationId = workstationId,
            PolicyId = policy?.Id,
            OriginSessionId = ctx.SessionId,
            OriginTransactionId = tx.Id,
            ProcessedBy = ctx.ProcessedBy,
            IsNew = true,
        };
        circ.DueTime = Loans.Due(tx, at, orgId, policy ?? Loans.DefaultPolicy, ctx, o);
        s.AddCirculation(circ);
        patron.OpenLoans++;
        Loans.SetStatus(item, ItemStatus.CheckedOut, at, ctx);
        o.CirculationId = circ.Id;
        o.DueTime = circ.DueTime;
        if (o.Codes.Any(Loans.BlockingCodes.Contains))
        {
            o.FollowUp(FollowUpKinds.BlockedPatronLoan);
        }
        var note = policy is null ? " No circulation policy matched: the 14-day default was used." : "";
        return o.Done($"Checked out, due {ctx.LocalText(orgId, circ.DueTime)}.{note}");
    }

    private static void ItemWarnings(ItemRow item, Outcome o)
    {
        if (!string.IsNullOrWhiteSpace(item.AlertMessage))
        {
            o.Warn(ResultCodes.CopyAlertMessage);
        }
        if (item.Status == ItemStatus.Lost)
        {
            o.Warn(ResultCodes.CopyStatusLost);
        }
        if (item.Status == ItemStatus.Missing)
        {
            o.Warn(ResultCodes.CopyStatusMissing);
        }
    }

    /// <summary>
    /// A hold captured on this item for someone else goes back to the queue (ITEM_ON_HOLDS_SHELF); the borrower's own
    /// captured hold, or else their own pending hold the item fills, is fulfilled.
    /// </summary>
    private static void SettleHolds(ItemRow item, PatronRow patron, DateTimeOffset at, ReplayState s, Outcome o)
    {
        var captured = Holds.CapturedFor(s, item);
        if (captured is not null && captured.PatronId != patron.Id)
        {
            // Captured but still in transit is COPY_IN_TRANSIT's business; on the shelf it is this warning's.
            if (item.Status == ItemStatus.OnHoldsShelf || captured.ShelfExpiryTime is not null)
            {
                o.Warn(ResultCodes.ItemOnHoldsShelf);
            }
            Holds.Release(captured);
            captured = null;
        }
        else if (captured is null && item.Status == ItemStatus.OnHoldsShelf)
        {
            o.Warn(ResultCodes.ItemOnHoldsShelf);
        }
        var own = captured ?? Holds.OwnPending(s, item, patron.Id);
        if (own is not null)
        {
            Holds.Fulfil(own, item, at);
            o.HoldId = own.Id;
        }
    }

    private static Outcome Noncat(TxRow tx, PatronRow? patron, CardRow? card, int orgId, int? workstationId, ReplayState s, RunContext ctx, Outcome o)
    {
        var type = ctx.NoncatType(tx.NoncatType, orgId);
        o.PatronId = patron?.Id;
        if (patron is null || type is null)
        {
            var codes = new List<string>();
            if (patron is null)
            {
                codes.Add(ResultCodes.ActorUserNotFound);
            }
            if (type is null)
            {
                codes.Add(ResultCodes.NoncatTypeNotFound);
            }
            var what = patron is null ? $"No patron has card '{tx.PatronBarcode}'." : $"Unknown non-catalogued type '{tx.NoncatType}'.";
            return o.Fail(what, [.. codes]);
        }
        var at = tx.EffectiveAt;
        Loans.PatronWarnings(patron, card, orgId, at, ctx, o);
        var terms = new CirculationPolicy { LoanDuration = type.LoanDuration, LoanDurationUnit = type.LoanDurationUnit };
        var due = Loans.Due(tx, at, orgId, terms, ctx, o);
        var count = Math.Clamp(tx.NoncatCount ?? 1, 1, 100);
        s.NoncatCirculations.Add(new NewNoncatCirculation(
            s.Ids.Next(IdTables.NoncatCirculations), patron.Id, type.Id, count, at, due, orgId, workstationId, ctx.SessionId, tx.Id));
        o.DueTime = due;
        if (o.Codes.Any(Loans.BlockingCodes.Contains))
        {
            o.FollowUp(FollowUpKinds.BlockedPatronLoan);
        }
        return o.Done($"Checked out {count} x {type.Name}, due {ctx.LocalText(orgId, due)}.");
    }
}
