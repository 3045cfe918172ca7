using Npgsql;
using NpgsqlTypes;
using OfflineCirc.Core.Data;

namespace OfflineCirc.Core.Replay;

/// <summary>New rows of a batch, written by binary COPY in foreign-key order.</summary>
internal static class BatchInserts
{
    public static async Task InsertAllAsync(NpgsqlConnection conn, ReplayState s, CancellationToken ct)
    {
        await CopyAsync(conn, "patrons (id, family_name, first_given_name, dob, email, day_phone, address, home_org_id, profile_id, active, barred, expire_date, username, created_at, origin_session_id)",
            s.NewPatrons, async (w, p) =>
            {
                await w.WriteAsync(p.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(p.FamilyName, NpgsqlDbType.Text, ct);
                await w.WriteAsync(p.FirstGivenName, NpgsqlDbType.Text, ct);
                await w.WriteDateAsync(p.Dob, ct);
                await w.WriteTextAsync(p.Email, ct);
                await w.WriteTextAsync(p.DayPhone, ct);
                await w.WriteTextAsync(p.Address, ct);
                await w.WriteAsync(p.HomeOrgId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(p.ProfileId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                await w.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                await w.WriteDateAsync(p.ExpireDate, ct);
                await w.WriteTextAsync(p.Username, ct);
                await w.WriteTimeAsync(p.CreatedAt, ct);
                await w.WriteAsync(p.OriginSessionId, NpgsqlDbType.Bigint, ct);
            }, ct);
        await CopyAsync(conn, "cards (id, barcode, patron_id, active, \"primary\")", s.NewCards, async (w, c) =>
        {
            await w.WriteAsync(c.Id, NpgsqlDbType.Bigint, ct);
            await w.WriteAsync(c.Barcode, NpgsqlDbType.Text, ct);
            await w.WriteAsync(c.PatronId, NpgsqlDbType.Bigint, ct);
            await w.WriteAsync(c.Active, NpgsqlDbType.Boolean, ct);
            await w.WriteAsync(true, NpgsqlDbType.Boolean, ct);
        }, ct);
        await CopyAsync(conn, "patron_blocks (id, patron_id, name, created_at)", s.NewBlocks, async (w, b) =>
        {
            await w.WriteAsync(b.Id, NpgsqlDbType.Bigint, ct);
            await w.WriteAsync(b.PatronId, NpgsqlDbType.Bigint, ct);
            await w.WriteAsync(b.Name, NpgsqlDbType.Text, ct);
            await w.WriteTimeAsync(b.CreatedAt, ct);
        }, ct);
        await CopyAsync(conn, "circulations (id, patron_id, item_id, checkout_time, due_time, checkout_org_id, checkout_workstation_id, renewal_count, checkin_time, checkin_org_id, checkin_workstation_id, stop_fines, policy_id, origin_session_id, origin_transaction_id, close_session_id, close_transaction_id, processed_by)",
            s.Circulations.Where(c => c.IsNew).ToList(), async (w, c) =>
            {
                await w.WriteAsync(c.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(c.PatronId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(c.ItemId, NpgsqlDbType.Bigint, ct);
                await w.WriteTimeAsync(c.CheckoutTime, ct);
                await w.WriteTimeAsync(c.DueTime, ct);
                await w.WriteAsync(c.CheckoutOrgId, NpgsqlDbType.Integer, ct);
                await w.WriteIntAsync(c.CheckoutWorkstationId, ct);
                await w.WriteAsync(c.RenewalCount, NpgsqlDbType.Integer, ct);
                await w.WriteTimeAsync(c.CheckinTime, ct);
                await w.WriteIntAsync(c.CheckinOrgId, ct);
                await w.WriteIntAsync(c.CheckinWorkstationId, ct);
                await w.WriteTextAsync(c.StopFines, ct);
                await w.WriteIntAsync(c.PolicyId, ct);
                await w.WriteLongAsync(c.OriginSessionId, ct);
                await w.WriteLongAsync(c.OriginTransactionId, ct);
                await w.WriteLongAsync(c.CloseSessionId, ct);
                await w.WriteLongAsync(c.CloseTransactionId, ct);
                await w.WriteTextAsync(c.ProcessedBy, ct);
            }, ct);
        await CopyAsync(conn, "noncat_circulations (id, patron_id, noncat_type_id, count, checkout_time, due_time, org_id, workstation_id, origin_session_id, origin_transaction_id)",
            s.NoncatCirculations, async (w, n) =>
            {
                await w.WriteAsync(n.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(n.PatronId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(n.NoncatTypeId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(n.Count, NpgsqlDbType.Integer, ct);
                await w.WriteTimeAsync(n.CheckoutTime, ct);
                await w.WriteTimeAsync(n.DueTime, ct);
                await w.WriteAsync(n.OrgId, NpgsqlDbType.Integer, ct);
                await w.WriteIntAsync(n.WorkstationId, ct);
                await w.WriteAsync(n.OriginSessionId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(n.OriginTransactionId, NpgsqlDbType.Bigint, ct);
            }, ct);
        await CopyAsync(conn, "in_house_uses (id, item_id, count, use_time, org_id, workstation_id, origin_session_id, origin_transaction_id)",
            s.InHouseUses, async (w, u) =>
            {
                await w.WriteAsync(u.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(u.ItemId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(u.Count, NpgsqlDbType.Integer, ct);
                await w.WriteTimeAsync(u.UseTime, ct);
                await w.WriteAsync(u.OrgId, NpgsqlDbType.Integer, ct);
                await w.WriteIntAsync(u.WorkstationId, ct);
                await w.WriteAsync(u.OriginSessionId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(u.OriginTransactionId, NpgsqlDbType.Bigint, ct);
            }, ct);
        await CopyAsync(conn, "transits (id, item_id, from_org_id, to_org_id, sent_time, received_time, hold_id, workstation_id, origin_session_id, origin_transaction_id)",
            s.Transits.Where(t => t.IsNew).ToList(), async (w, t) =>
            {
                await w.WriteAsync(t.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(t.ItemId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(t.FromOrgId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(t.ToOrgId, NpgsqlDbType.Integer, ct);
                await w.WriteTimeAsync(t.SentTime, ct);
                await w.WriteTimeAsync(t.ReceivedTime, ct);
                await w.WriteLongAsync(t.HoldId, ct);
                await w.WriteIntAsync(t.WorkstationId, ct);
                await w.WriteLongAsync(t.OriginSessionId, ct);
                await w.WriteLongAsync(t.OriginTransactionId, ct);
            }, ct);
        await CopyAsync(conn, "billings (id, patron_id, circulation_id, amount, billing_type, billed_at, voided, voided_at, amount_paid, origin_session_id, origin_transaction_id)",
            s.Billings.Where(b => b.IsNew).Distinct().ToList(), async (w, b) =>
            {
                await w.WriteAsync(b.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(b.PatronId, NpgsqlDbType.Bigint, ct);
                await w.WriteLongAsync(b.CirculationId, ct);
                await w.WriteAsync(b.Amount, NpgsqlDbType.Numeric, ct);
                await w.WriteAsync(b.BillingType, NpgsqlDbType.Text, ct);
                await w.WriteTimeAsync(b.BilledAt, ct);
                await w.WriteAsync(b.Voided, NpgsqlDbType.Boolean, ct);
                await w.WriteTimeAsync(b.VoidedAt, ct);
                await w.WriteAsync(b.AmountPaid, NpgsqlDbType.Numeric, ct);
                await w.WriteLongAsync(b.OriginSessionId, ct);
                await w.WriteLongAsync(b.OriginTransactionId, ct);
            }, ct);
        await CopyAsync(conn, "payments (id, patron_id, amount, paid_at, org_id, workstation_id, origin_session_id, origin_transaction_id)",
            s.Payments, async (w, p) =>
            {
                await w.WriteAsync(p.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(p.PatronId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(p.Amount, NpgsqlDbType.Numeric, ct);
                await w.WriteTimeAsync(p.PaidAt, ct);
                await w.WriteAsync(p.OrgId, NpgsqlDbType.Integer, ct);
                await w.WriteIntAsync(p.WorkstationId, ct);
                await w.WriteAsync(p.OriginSessionId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(p.OriginTransactionId, NpgsqlDbType.Bigint, ct);
            }, ct);
    }

    public static Task InsertResultsAsync(NpgsqlConnection conn, ReplayState s, RunContext ctx, DateTimeOffset processedAt, CancellationToken ct) =>
        CopyAsync(conn, "transaction_results (transaction_id, session_id, run, is_current, status, codes, message, patron_id, item_id, circulation_id, hold_id, transit_id, billed_amount, due_time, checkin_time, follow_ups, org_id, workstation_id, processed_at, processed_by, resolved)",
            s.Results, async (w, r) =>
            {
                var o = r.Outcome;
                await w.WriteAsync(r.Tx.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(ctx.SessionId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(ctx.Run, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                await w.WriteAsync(SnakeCaseEnum.ToSnake(o.Status), NpgsqlDbType.Text, ct);
                await w.WriteAsync(o.Codes.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await w.WriteAsync(o.Message, NpgsqlDbType.Text, ct);
                await w.WriteLongAsync(o.PatronId, ct);
                await w.WriteLongAsync(o.ItemId, ct);
                await w.WriteLongAsync(o.CirculationId, ct);
                await w.WriteLongAsync(o.HoldId, ct);
                await w.WriteLongAsync(o.TransitId, ct);
                await w.WriteMoneyAsync(o.BilledAmount, ct);
                await w.WriteTimeAsync(o.DueTime, ct);
                await w.WriteTimeAsync(o.CheckinTime, ct);
                await w.WriteAsync(o.FollowUps.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                // Placement is a function of the transaction and the run, so this is where the rule placed it.
                var (orgId, workstationId) = ctx.Place(r.Tx);
                await w.WriteAsync(orgId, NpgsqlDbType.Integer, ct);
                await w.WriteIntAsync(workstationId, ct);
                await w.WriteTimeAsync(processedAt, ct);
                await w.WriteAsync(ctx.ProcessedBy, NpgsqlDbType.Text, ct);
                await w.WriteAsync(false, NpgsqlDbType.Boolean, ct);
            }, ct);

    private static async Task CopyAsync<T>(NpgsqlConnection conn, string target, IReadOnlyCollection<T> rows, Func<NpgsqlBinaryImporter, T, Task> write, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await using var importer = await conn.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            await write(importer, row);
        }
        await importer.CompleteAsync(ct);
    }





}
