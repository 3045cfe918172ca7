using Npgsql;
using OfflineCirc.Core.Data;

namespace OfflineCirc.Core.Replay;

/// <summary>New rows of a batch, written by binary COPY in foreign-key order.</summary>
internal static class BatchInserts
{
    private static readonly CopyTarget Patrons = new("patrons", "id", "family_name", "first_given_name", "dob", "email", "day_phone",
        "address", "home_org_id", "profile_id", "active", "barred", "expire_date", "username", "created_at", "origin_session_id");
    private static readonly CopyTarget Cards = new("cards", "id", "barcode", "patron_id", "active", "\"primary\"");
    private static readonly CopyTarget Blocks = new("patron_blocks", "id", "patron_id", "name", "created_at");
    private static readonly CopyTarget Circulations = new("circulations", "id", "patron_id", "item_id", "checkout_time", "due_time",
        "checkout_org_id", "checkout_workstation_id", "renewal_count", "checkin_time", "checkin_org_id", "checkin_workstation_id",
        "stop_fines", "policy_id", "origin_session_id", "origin_transaction_id", "close_session_id", "close_transaction_id", "processed_by");
    private static readonly CopyTarget NoncatCirculations = new("noncat_circulations", "id", "patron_id", "noncat_type_id", "count",
        "checkout_time", "due_time", "org_id", "workstation_id", "origin_session_id", "origin_transaction_id");
    private static readonly CopyTarget InHouseUses = new("in_house_uses", "id", "item_id", "count", "use_time", "org_id", "workstation_id",
        "origin_session_id", "origin_transaction_id");
    private static readonly CopyTarget Transits = new("transits", "id", "item_id", "from_org_id", "to_org_id", "sent_time", "received_time",
        "hold_id", "workstation_id", "origin_session_id", "origin_transaction_id");
    private static readonly CopyTarget Billings = new("billings", "id", "patron_id", "circulation_id", "amount", "billing_type", "billed_at",
        "voided", "voided_at", "amount_paid", "origin_session_id", "origin_transaction_id");
    private static readonly CopyTarget Payments = new("payments", "id", "patron_id", "amount", "paid_at", "org_id", "workstation_id",
        "origin_session_id", "origin_transaction_id");

    public static async Task InsertAllAsync(NpgsqlConnection conn, ReplayState s, CancellationToken ct)
    {
        await InsertPeopleAndLoansAsync(conn, s, ct);
        await InsertInHouseUsesAsync(conn, s, ct);
    }

    /// <summary>
    /// New patrons and cards, and every new row that names a patron or a loan (loans, fines, payments, non-catalogued
    /// lendings) or a hold (transits): these go in one transaction, which alone can see the new patrons and loans.
    /// </summary>
    public static async Task InsertPeopleAndLoansAsync(NpgsqlConnection conn, ReplayState s, CancellationToken ct)
    {
        await BinaryCopy.InsertAsync(conn, Patrons, s.NewPatrons, (w, p) =>
        {
            w.Long(p.Id);
            w.Text(p.FamilyName);
            w.Text(p.FirstGivenName);
            w.Date(p.Dob);
            w.Text(p.Email);
            w.Text(p.DayPhone);
            w.Text(p.Address);
            w.Int(p.HomeOrgId);
            w.Int(p.ProfileId);
            w.Bool(true);
            w.Bool(false);
            w.Date(p.ExpireDate);
            w.Text(p.Username);
            w.Timestamp(p.CreatedAt);
            w.Long(p.OriginSessionId);
        }, ct);
        await BinaryCopy.InsertAsync(conn, Cards, s.NewCards, (w, c) =>
        {
            w.Long(c.Id);
            w.Text(c.Barcode);
            w.Long(c.PatronId);
            w.Bool(c.Active);
            w.Bool(true);
        }, ct);
        await BinaryCopy.InsertAsync(conn, Blocks, s.NewBlocks, (w, b) =>
        {
            w.Long(b.Id);
            w.Long(b.PatronId);
            w.Text(b.Name);
            w.Timestamp(b.CreatedAt);
        }, ct);
        await BinaryCopy.InsertAsync(conn, Circulations, s.Circulations.Where(c => c.IsNew), (w, c) =>
        {
            w.Long(c.Id);
            w.Long(c.PatronId);
            w.Long(c.ItemId);
            w.Timestamp(c.CheckoutTime);
            w.Timestamp(c.DueTime);
            w.Int(c.CheckoutOrgId);
            w.Int(c.CheckoutWorkstationId);
            w.Int(c.RenewalCount);
            w.Timestamp(c.CheckinTime);
            w.Int(c.CheckinOrgId);
            w.Int(c.CheckinWorkstationId);
            w.Text(c.StopFines);
            w.Int(c.PolicyId);
            w.Long(c.OriginSessionId);
            w.Long(c.OriginTransactionId);
            w.Long(c.CloseSessionId);
            w.Long(c.CloseTransactionId);
            w.Text(c.ProcessedBy);
        }, ct);
        await BinaryCopy.InsertAsync(conn, NoncatCirculations, s.NoncatCirculations, (w, n) =>
        {
            w.Long(n.Id);
            w.Long(n.PatronId);
            w.Int(n.NoncatTypeId);
            w.Int(n.Count);
            w.Timestamp(n.CheckoutTime);
            w.Timestamp(n.DueTime);
            w.Int(n.OrgId);
            w.Int(n.WorkstationId);
            w.Long(n.OriginSessionId);
            w.Long(n.OriginTransactionId);
        }, ct);
        await BinaryCopy.InsertAsync(conn, Transits, s.Transits.Where(t => t.IsNew), (w, t) =>
        {
            w.Long(t.Id);
            w.Long(t.ItemId);
            w.Int(t.FromOrgId);
            w.Int(t.ToOrgId);
            w.Timestamp(t.SentTime);
            w.Timestamp(t.ReceivedTime);
            w.Long(t.HoldId);
            w.Int(t.WorkstationId);
            w.Long(t.OriginSessionId);
            w.Long(t.OriginTransactionId);
        }, ct);
        await BinaryCopy.InsertAsync(conn, Billings, s.Billings.Where(b => b.IsNew).Distinct(), (w, b) =>
        {
            w.Long(b.Id);
            w.Long(b.PatronId);
            w.Long(b.CirculationId);
            w.Numeric(b.Amount);
            w.Text(b.BillingType);
            w.Timestamp(b.BilledAt);
            w.Bool(b.Voided);
            w.Timestamp(b.VoidedAt);
            w.Numeric(b.AmountPaid);
            w.Long(b.OriginSessionId);
            w.Long(b.OriginTransactionId);
        }, ct);
        await BinaryCopy.InsertAsync(conn, Payments, s.Payments, (w, p) =>
        {
            w.Long(p.Id);
            w.Long(p.PatronId);
            w.Numeric(p.Amount);
            w.Timestamp(p.PaidAt);
            w.Int(p.OrgId);
            w.Int(p.WorkstationId);
            w.Long(p.OriginSessionId);
            w.Long(p.OriginTransactionId);
        }, ct);
    }

    /// <summary>New in-house uses, which name only items, libraries and desks.</summary>
    public static async Task InsertInHouseUsesAsync(NpgsqlConnection conn, ReplayState s, CancellationToken ct)
    {
        await BinaryCopy.InsertAsync(conn, InHouseUses, s.InHouseUses, (w, u) =>
        {
            w.Long(u.Id);
            w.Long(u.ItemId);
            w.Int(u.Count);
            w.Timestamp(u.UseTime);
            w.Int(u.OrgId);
            w.Int(u.WorkstationId);
            w.Long(u.OriginSessionId);
            w.Long(u.OriginTransactionId);
        }, ct);
    }
}
