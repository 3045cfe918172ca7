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
                await Date(w, p.Dob, ct);
                await Text(w, p.Email, ct);
                await Text(w, p.DayPhone, ct);
                await Text(w, p.Address, ct);
                await w.WriteAsync(p.HomeOrgId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(p.ProfileId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                await w.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                await Date(w, p.ExpireDate, ct);
                await Text(w, p.Username, ct);
                await Time(w, p.CreatedAt, ct);
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
            await Time(w, b.CreatedAt, ct);
        }, ct);
        await CopyAsync(conn, "circulations (id, patron_id, item_id, checkout_time, due_time, checkout_org_id, checkout_workstation_id, renewal_count, checkin_time, checkin_org_id, checkin_workstation_id, stop_fines, policy_id, origin_session_id, origin_transaction_id, close_session_id, close_transaction_id, processed_by)",
            s.Circulations.Where(c => c.IsNew).ToList(), async (w, c) =>
            {
                await w.WriteAsync(c.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(c.PatronId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(c.ItemId, NpgsqlDbType.Bigint, ct);
                await Time(w, c.CheckoutTime, ct);
                await Time(w, c.DueTime, ct);
                await w.WriteAsync(c.CheckoutOrgId, NpgsqlDbType.Integer, ct);
                await Int(w, c.CheckoutWorkstationId, ct);
                await w.WriteAsync(c.RenewalCount, NpgsqlDbType.Integer, ct);
                await Time(w, c.CheckinTime, ct);
                await Int(w, c.CheckinOrgId, ct);
                await Int(w, c.CheckinWorkstationId, ct);
                await Text(w, c.StopFines, ct);
                await Int(w, c.PolicyId, ct);
                await Long(w, c.OriginSessionId, ct);
                await Long(w, c.OriginTransactionId, ct);
                await Long(w, c.CloseSessionId, ct);
                await Long(w, c.CloseTransactionId, ct);
                await Text(w, c.ProcessedBy, ct);
            }, ct);
        await CopyAsync(conn, "noncat_circulations (id, patron_id, noncat_type_id, count, checkout_time, due_time, org_id, workstation_id, origin_session_id, origin_transaction_id)",
            s.NoncatCirculations, async (w, n) =>
            {
                await w.WriteAsync(n.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(n.PatronId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(n.NoncatTypeId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(n.Count, NpgsqlDbType.Integer, ct);
                await Time(w, n.CheckoutTime, ct);
                await Time(w, n.DueTime, ct);
                await w.WriteAsync(n.OrgId, NpgsqlDbType.Integer, ct);
                await Int(w, n.WorkstationId, ct);
                await w.WriteAsync(n.OriginSessionId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(n.OriginTransactionId, NpgsqlDbType.Bigint, ct);
            }, ct);
        await CopyAsync(conn, "in_house_uses (id, item_id, count, use_time, org_id, workstation_id, origin_session_id, origin_transaction_id)",
            s.InHouseUses, async (w, u) =>
            {
                await w.WriteAsync(u.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(u.ItemId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(u.Count, NpgsqlDbType.Integer, ct);
                await Time(w, u.UseTime, ct);
                await w.WriteAsync(u.OrgId, NpgsqlDbType.Integer, ct);
                await Int(w, u.WorkstationId, ct);
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
                await Time(w, t.SentTime, ct);
                await Time(w, t.ReceivedTime, ct);
                await Long(w, t.HoldId, ct);
                await Int(w, t.WorkstationId, ct);
                await Long(w, t.OriginSessionId, ct);
                await Long(w, t.OriginTransactionId, ct);
            }, ct);
        await CopyAsync(conn, "billings (id, patron_id, circulation_id, amount, billing_type, billed_at, voided, voided_at, amount_paid, origin_session_id, origin_transaction_id)",
            s.Billings.Where(b => b.IsNew).Distinct().ToList(), async (w, b) =>
            {
                await w.WriteAsync(b.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(b.PatronId, NpgsqlDbType.Bigint, ct);
                await Long(w, b.CirculationId, ct);
                await w.WriteAsync(b.Amount, NpgsqlDbType.Numeric, ct);
                await w.WriteAsync(b.BillingType, NpgsqlDbType.Text, ct);
                await Time(w, b.BilledAt, ct);
                await w.WriteAsync(b.Voided, NpgsqlDbType.Boolean, ct);
                await Time(w, b.VoidedAt, ct);
                await w.WriteAsync(b.AmountPaid, NpgsqlDbType.Numeric, ct);
                await Long(w, b.OriginSessionId, ct);
                await Long(w, b.OriginTransactionId, ct);
            }, ct);
        await CopyAsync(conn, "payments (id, patron_id, amount, paid_at, org_id, workstation_id, origin_session_id, origin_transaction_id)",
            s.Payments, async (w, p) =>
            {
                await w.WriteAsync(p.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(p.PatronId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(p.Amount, NpgsqlDbType.Numeric, ct);
                await Time(w, p.PaidAt, ct);
                await w.WriteAsync(p.OrgId, NpgsqlDbType.Integer, ct);
                await Int(w, p.WorkstationId, ct);
                await w.WriteAsync(p.OriginSessionId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(p.OriginTransactionId, NpgsqlDbType.Bigint, ct);
            }, ct);
    }

    public static Task InsertResultsAsync(NpgsqlConnection conn, ReplayState s, RunContext ctx, DateTimeOffset processedAt, CancellationToken ct) =>
        CopyAsync(conn, "transaction_results (transaction_id, session_id, run, is_current, status, codes, message, patron_id, item_id, circulation_id, hold_id, transit_id, billed_amount, due_time, checkin_time, follow_ups, processed_at, processed_by, resolved)",
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
                await Long(w, o.PatronId, ct);
                await Long(w, o.ItemId, ct);
                await Long(w, o.CirculationId, ct);
                await Long(w, o.HoldId, ct);
                await Long(w, o.TransitId, ct);
                if (o.BilledAmount is { } billed)
                {
                    await w.WriteAsync(billed, NpgsqlDbType.Numeric, ct);
                }
                else
                {
                    await w.WriteNullAsync(ct);
                }
                await Time(w, o.DueTime, ct);
                await Time(w, o.CheckinTime, ct);
                await w.WriteAsync(o.FollowUps.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await Time(w, processedAt, ct);
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

    private static Task Text(NpgsqlBinaryImporter w, string? v, CancellationToken ct) =>
        v is null ? w.WriteNullAsync(ct) : w.WriteAsync(v, NpgsqlDbType.Text, ct);

    private static Task Long(NpgsqlBinaryImporter w, long? v, CancellationToken ct) =>
        v is { } x ? w.WriteAsync(x, NpgsqlDbType.Bigint, ct) : w.WriteNullAsync(ct);

    private static Task Int(NpgsqlBinaryImporter w, int? v, CancellationToken ct) =>
        v is { } x ? w.WriteAsync(x, NpgsqlDbType.Integer, ct) : w.WriteNullAsync(ct);

    private static Task Time(NpgsqlBinaryImporter w, DateTimeOffset? v, CancellationToken ct) =>
        v is { } x ? w.WriteAsync(x.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct) : w.WriteNullAsync(ct);

    private static Task Date(NpgsqlBinaryImporter w, DateOnly? v, CancellationToken ct) =>
        v is { } x ? w.WriteAsync(x, NpgsqlDbType.Date, ct) : w.WriteNullAsync(ct);
}
