using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay.Calendar;

namespace OfflineCirc.Core.Replay.Rules;

/// <summary>Rules shared by check-out and renewal: due dates, patron standing, item status changes.</summary>
internal static class Loans
{
    /// <summary>Used when no policy matches: the loan is still recorded (the item has left), without fines.</summary>
    public static readonly CirculationPolicy DefaultPolicy = new()
    {
        Id = 0,
        LoanDuration = 14,
        LoanDurationUnit = DurationUnit.Days,
        MaxRenewals = 2,
        FinePerInterval = 0m,
        FineInterval = 1,
        FineIntervalUnit = DurationUnit.Days,
        MaxFine = 0m,
    };

    public static readonly HashSet<string> BlockingCodes =
    [
        ResultCodes.PatronCardInactive, ResultCodes.PatronInactive, ResultCodes.PatronAccountExpired,
        ResultCodes.PatronBarred, ResultCodes.PatronBlocked,
    ];

    /// <summary>
    /// Due time of a loan starting at <paramref name="start"/> in the calendar of <paramref name="circOrgId"/>: the
    /// captured due date when there is a readable one, else the policy's duration. Adds DUE_DATE_ADJUSTED_CLOSED and
    /// DUE_DATE_IN_PAST to the outcome as they apply.
    /// </summary>
    public static DateTimeOffset Due(TxRow tx, DateTimeOffset start, int circOrgId, CirculationPolicy policy, RunContext ctx, Outcome o)
    {
        var calendar = ctx.Calendar(circOrgId);
        DateTimeOffset due;
        if (CapturedDueDate.TryParse(tx.DueDate, calendar.Zone, out var date))
        {
            (due, var adjusted) = calendar.CapturedDue(date);
            if (adjusted)
            {
                o.Warn(ResultCodes.DueDateAdjustedClosed);
            }
        }
        else
        {
            due = policy.LoanDurationUnit == DurationUnit.Hours
                ? OrgCalendar.HourLoanDue(start, policy.LoanDuration)
                : calendar.DayLoanDue(start, policy.LoanDuration);
        }
        if (due < ctx.StartedAt)
        {
            o.Warn(ResultCodes.DueDateInPast);
        }
        return due;
    }

    public static CirculationPolicy PolicyOf(CirculationRow circ, PatronRow? patron, ItemRow item, RunContext ctx) =>
        (circ.PolicyId is { } id ? ctx.PoliciesById.GetValueOrDefault(id) : null)
        ?? ctx.PolicyFor(circ.CheckoutOrgId, patron?.ProfileId, item.CircModifier)
        ?? DefaultPolicy;

    /// <summary>Warnings for rules that would have refused the loan online; the loan is recorded anyway.</summary>
    public static void PatronWarnings(PatronRow patron, CardRow? card, int orgId, DateTimeOffset at, RunContext ctx, Outcome o)
    {
        if (patron.WithoutFigures)
        {
            throw new InvalidOperationException($"Patron {patron.Id} was read without the figures its warnings need.");
        }
        if (card is { Active: false })
        {
            o.Warn(ResultCodes.PatronCardInactive);
        }
        if (!patron.Active)
        {
            o.Warn(ResultCodes.PatronInactive);
        }
        if (patron.ExpireDate is { } expires && expires < ctx.Calendar(orgId).LocalDateOf(at).ToDateOnly())
        {
            o.Warn(ResultCodes.PatronAccountExpired);
        }
        if (patron.Barred)
        {
            o.Warn(ResultCodes.PatronBarred);
        }
        // A threshold or limit of zero means the profile sets none.
        if (ctx.Profiles.GetValueOrDefault(patron.ProfileId) is { } profile)
        {
            if (profile.FineThreshold > 0m && patron.Balance >= profile.FineThreshold)
            {
                o.Warn(ResultCodes.PatronExceedsFines);
            }
            if (profile.CheckoutLimit > 0 && patron.OpenLoans >= profile.CheckoutLimit)
            {
                o.Warn(ResultCodes.PatronExceedsCheckoutCount);
            }
        }
        if (patron.BlockCount > 0)
        {
            o.Warn(ResultCodes.PatronBlocked);
        }
    }

    /// <summary>Renews an open loan from <paramref name="at"/> (6.2): count + 1, new due date, over-limit warning.</summary>
    public static void Renew(CirculationRow circ, ItemRow item, TxRow tx, DateTimeOffset at, RunContext ctx, ReplayState s, Outcome o)
    {
        var patron = s.Patrons.GetValueOrDefault(circ.PatronId);
        var policy = PolicyOf(circ, patron, item, ctx);
        circ.RenewalCount++;
        if (circ.RenewalCount > policy.MaxRenewals)
        {
            o.Warn(ResultCodes.MaxRenewalsReached);
        }
        circ.DueTime = Due(tx, at, circ.CheckoutOrgId, policy, ctx, o);
        circ.Dirty = true;
        o.PatronId = circ.PatronId;
        o.CirculationId = circ.Id;
        o.DueTime = circ.DueTime;
    }

    /// <summary>Closes a loan without a fine (used when a new check-out finds the item still out).</summary>
    public static void CloseWithoutFine(CirculationRow circ, DateTimeOffset at, int orgId, int? workstationId, TxRow tx, RunContext ctx, ReplayState s)
    {
        circ.CheckinTime = at < circ.CheckoutTime ? circ.CheckoutTime : at;
        circ.CheckinOrgId = orgId;
        circ.CheckinWorkstationId = workstationId;
        circ.CloseSessionId = ctx.SessionId;
        circ.CloseTransactionId = tx.Id;
        circ.Dirty = true;
        s.OpenCirculationByItem.Remove(circ.ItemId);
        if (s.Patrons.GetValueOrDefault(circ.PatronId) is { } patron)
        {
            // A patron read without figures keeps what the run changed, to add to them if a later batch reads them.
            patron.OpenLoans = patron.WithoutFigures ? patron.OpenLoans - 1 : Math.Max(0, patron.OpenLoans - 1);
        }
    }

    /// <summary>Changes an item's status, marking it as changed by this session at the transaction's effective time.</summary>
    public static void SetStatus(ItemRow item, ItemStatus status, DateTimeOffset at, RunContext ctx)
    {
        if (item.Status == status)
        {
            return;
        }
        item.Status = status;
        item.StatusChangedAt = at;
        item.StatusChangeSessionId = ctx.SessionId;
        item.Dirty = true;
    }
}
