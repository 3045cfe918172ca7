using System.Text.RegularExpressions;
using Npgsql;
using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Replay;
using OfflineCirc.Core.Transactions;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Formats;

/// <summary>
/// What <see cref="TransactionKinds.All"/> drives. Adding a type is its kind file, a migration for the check constraint
/// (the test on the database's constraint fails until there is one), the capture page's tab, and its tests.
/// </summary>
public partial class TransactionKindsTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly string[] Names = TransactionKinds.All.Select(k => k.Name).ToArray();

    [Fact]
    public void Each_kind_has_its_own_name_and_is_found_by_it()
    {
        Assert.Equal(Names.Length, Names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(TransactionKinds.All, k => Assert.Same(k, TransactionKinds.Find(k.Name)));
        Assert.Null(TransactionKinds.Find("chekout"));
    }

    [Fact]
    public void Intake_validates_each_kind_with_its_own_rules_and_refuses_any_other_type()
    {
        foreach (var name in Names)
        {
            var reasons = TransactionValidators.Validate(Line(name));
            Assert.DoesNotContain(reasons, r => r.StartsWith("unknown type", StringComparison.Ordinal));
        }
        Assert.Contains("unknown type 'lost_item_payment'", TransactionValidators.Validate(Line("lost_item_payment")));
    }

    [Fact]
    public void The_type_lists_of_the_exceptions_filter_and_the_capture_page_are_the_kinds()
    {
        Assert.Equal(Names, TransactionTypes.All);
    }

    [Fact]
    public async Task The_database_accepts_exactly_the_kinds_on_the_type_column()
    {
        await using var cmd = db.DataSource.CreateCommand(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'ck_offline_transactions_type'");
        var definition = (string)(await cmd.ExecuteScalarAsync())!;
        var allowed = Quoted().Matches(definition).Select(m => m.Groups[1].Value).Order();
        Assert.Equal(Names.Order(), allowed);
    }

    [Fact]
    public async Task Each_kind_reserves_ids_only_in_tables_that_have_them_and_replays_through_its_own_rule()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        foreach (var kind in TransactionKinds.All)
        {
            var tx = new TxRow { Type = kind.Name, Workstation = "W", ItemBarcode = "I", PatronBarcode = "P" };
            var ids = new IdNeeds();
            kind.Reserve(tx, ids);
            foreach (var table in ids.Counts.Keys)
            {
                await using var seq = new NpgsqlCommand("SELECT pg_get_serial_sequence($1, 'id')", conn) { Parameters = { new() { Value = table } } };
                Assert.NotNull(await seq.ExecuteScalarAsync());
            }
            var needs = new BatchNeeds();
            kind.Needs(tx, needs);
            Assert.Contains("P", needs.PatronKeys);
            // The override is the kind's own: no kind falls through to another's rule.
            Assert.Equal(kind.GetType(), kind.GetType().GetMethod("Apply", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.DeclaringType);
        }
    }

    private static TransactionCandidate Line(string type) =>
        new() { Type = type, Timestamp = new DateField("1772719331"), Payload = "{}", CanonicalContent = "{}" };

    [GeneratedRegex("'([a-z_]+)'")]
    private static partial Regex Quoted();
}
