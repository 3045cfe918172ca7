namespace OfflineCirc.Core.Replay.Rules;

/// <summary>Payment from a Koha file (DESIGN 6.7): oldest open billings first; any excess stays as credit.</summary>
internal static class Payment
{
    public static Outcome Apply(TxRow tx, ReplayState s, RunContext ctx)
    {
        var o = new Outcome();
        var (orgId, workstationId) = ctx.Place(tx);
        var (patron, _) = s.FindPatron(tx.PatronBarcode, allowUsername: false);
        if (patron is null)
        {
            return o.Fail($"No patron has card '{tx.PatronBarcode}'.", ResultCodes.ActorUserNotFound);
        }
        o.PatronId = patron.Id;
        var amount = Math.Round(tx.Amount ?? 0m, 2);
        if (amount <= 0m)
        {
            return o.Fail("A payment needs an amount above zero.");
        }
        if (amount > patron.Balance)
        {
            o.Warn(ResultCodes.PaymentExceedsBalance);
        }
        var left = amount;
        foreach (var bill in patron.OpenBillings ?? [])
        {
            if (left <= 0m)
            {
                break;
            }
            var paid = Math.Min(left, bill.Amount - bill.AmountPaid);
            if (paid <= 0m)
            {
                continue;
            }
            bill.AmountPaid += paid;
            left -= paid;
            if (!bill.IsNew && !bill.Dirty)
            {
                s.Billings.Add(bill);
            }
            bill.Dirty = true;
        }
        patron.OpenBillings?.RemoveAll(b => b.AmountPaid >= b.Amount);
        patron.Balance -= amount;
        s.Payments.Add(new NewPayment(
            s.Ids.Next(IdTables.Payments), patron.Id, amount, tx.EffectiveAt, orgId, workstationId, ctx.SessionId, tx.Id));
        return o.Done(left > 0m ? $"Payment of {amount:0.00} recorded; {left:0.00} kept as credit." : $"Payment of {amount:0.00} recorded.");
    }
}
