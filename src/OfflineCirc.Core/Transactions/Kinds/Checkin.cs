using FluentValidation;
using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Core.Replay.Calendar;
using OfflineCirc.Core.Replay.Rules;

namespace OfflineCirc.Core.Transactions.Kinds;

/// <summary>Check-in (docs/replay-rules.md): close the loan at the effective time, bill the fine, then shelve, hold or route.</summary>
public sealed class Checkin : TransactionKind
{
    public const string Code = "checkin";

    public override string Name => Code;

    internal override IValidator<TransactionCandidate> Validator { get; } = new LineRules();

    internal override DateField? EffectiveTime(TransactionCandidate line) => line.Backdate;

    internal override void Reserve(TxRow tx, IdNeeds ids)
    {
        ids.Add(IdTables.Transits);
        ids.Add(IdTables.Billings);
    }

    private sealed class LineRules : AbstractValidator<TransactionCandidate>
    {
        public LineRules()
        {
            Include(new CommonTransactionRules());
            RuleFor(c => c.ItemBarcode).NotNull().WithMessage("checkin without barcode");
            RuleFor(c => c.Backdate).Must(t => t.Value is not null)
                .When(c => c.Backdate.Given).WithMessage("backdate is not a date");
        }
    }

    public const string OverdueBillingType = "overdue_fine";
    public const string ClaimsReturnedStopFines = "claims_returned";

    internal override Outcome Apply(TxRow tx, ReplayState s, RunContext ctx)
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
        var at = tx.EffectiveAt;
        var circ = s.OpenCirculationByItem.GetValueOrDefault(item.Id);
        var parts = new List<string>();
        if (circ is null)
        {
            o.Warn(ResultCodes.NoChange);
            o.CheckinTime = at;
        }
        else
        {
            parts.Add(CloseLoan(circ, item, tx, at, orgId, workstationId, s, ctx, o));
        }
        StatusWarnings(item, circ, o);

        Holds.Receive(s, item, at);
        if (item.Status is ItemStatus.Damaged or ItemStatus.Discard)
        {
            parts.Add($"Item kept as {Data.SnakeCaseEnum.ToSnake(item.Status)}.");
            return o.Done(string.Join(" ", parts.Prepend("Checked in.").Where(x => x.Length > 0)));
        }
        var hold = Holds.CapturedFor(s, item) ?? Holds.NextPending(s, item);
        if (hold is not null)
        {
            Holds.Capture(hold, item, tx, at, orgId, workstationId, ctx, s, o);
            parts.Add(hold.PickupOrgId == orgId
                ? "Captured for a hold: put it on the holds shelf."
                : $"Captured for a hold: send it to {ctx.Org(hold.PickupOrgId)?.ShortName}.");
        }
        else if (item.OwningOrgId != orgId)
        {
            var transit = Holds.StartTransit(item, orgId, item.OwningOrgId, null, tx, at, workstationId, ctx, s);
            o.TransitId = transit.Id;
            o.Warn(ResultCodes.RouteItem);
            o.FollowUp(FollowUpKinds.TransitHome);
            parts.Add($"Send it home to {ctx.Org(item.OwningOrgId)?.ShortName}.");
        }
        else
        {
            Loans.SetStatus(item, ItemStatus.Available, at, ctx);
        }
        return o.Done(string.Join(" ", parts.Prepend("Checked in.").Where(x => x.Length > 0)));
    }

    private static string CloseLoan(CirculationRow circ, ItemRow item, TxRow tx, DateTimeOffset at, int orgId, int? workstationId, ReplayState s, RunContext ctx, Outcome o)
    {
        var claimsReturned = circ.StopFines == ClaimsReturnedStopFines;
        Loans.CloseWithoutFine(circ, at, orgId, workstationId, tx, ctx, s);
        var checkin = circ.CheckinTime!.Value;
        o.PatronId = circ.PatronId;
        o.CirculationId = circ.Id;
        o.CheckinTime = checkin;
        o.DueTime = circ.DueTime;
        var patron = s.Patrons.GetValueOrDefault(circ.PatronId);
        // A backdated check-in means fines billed after it were never owed.
        foreach (var bill in s.FinesByCirculation.GetValueOrDefault(circ.Id) ?? [])
        {
            if (!bill.Voided && bill.BilledAt > checkin && bill.BillingType == OverdueBillingType)
            {
                bill.Voided = true;
                bill.VoidedAt = ctx.StartedAt;
                bill.Dirty = true;
                s.Billings.Add(bill);
                if (patron is not null)
                {
                    patron.Balance -= bill.Amount;
                    patron.OpenBillings?.Remove(bill);
                }
            }
        }
        if (claimsReturned || circ.StopFines is not null)
        {
            return "";
        }
        var policy = Loans.PolicyOf(circ, patron, item, ctx);
        var fine = FineCalculator.Compute(FineTerms.Of(policy), ctx.Calendar(circ.CheckoutOrgId), circ.DueTime, checkin);
        if (fine <= 0m)
        {
            return "";
        }
        var bill2 = new BillingRow
        {
            Id = s.Ids.Next(IdTables.Billings),
            PatronId = circ.PatronId,
            CirculationId = circ.Id,
            Amount = fine,
            BillingType = OverdueBillingType,
            BilledAt = checkin,
            OriginSessionId = ctx.SessionId,
            OriginTransactionId = tx.Id,
            IsNew = true,
        };
        s.Billings.Add(bill2);
        if (patron is not null)
        {
            patron.Balance += fine;
            patron.OpenBillings?.Add(bill2);
        }
        o.BilledAmount = fine;
        return $"Overdue fine {fine:0.00} billed.";
    }

    private static void StatusWarnings(ItemRow item, CirculationRow? circ, Outcome o)
    {
        switch (item.Status)
        {
            case ItemStatus.Lost:
                o.Warn(ResultCodes.CopyStatusLost);
                o.FollowUp(FollowUpKinds.LostReturned);
                break;
            case ItemStatus.Missing:
                o.Warn(ResultCodes.CopyStatusMissing);
                break;
            case ItemStatus.LongOverdue:
                o.Warn(ResultCodes.CopyStatusLongOverdue);
                break;
            case ItemStatus.ClaimsReturned:
                o.Warn(ResultCodes.CircClaimsReturned);
                break;
        }
        if (circ?.StopFines == ClaimsReturnedStopFines)
        {
            o.Warn(ResultCodes.CircClaimsReturned);
        }
        if (!string.IsNullOrWhiteSpace(item.AlertMessage))
        {
            o.Warn(ResultCodes.CopyAlertMessage);
        }
    }
}
