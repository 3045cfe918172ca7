using System.Text;
using OfflineCirc.Core.Formats;
using static OfflineCirc.Tests.Formats.FormatTestSupport;

namespace OfflineCirc.Tests.Formats;

public class RandomInputTests
{
    private static readonly string[] Seeds =
    [
        "{\"id\":\"3f2b8c1e-6a4d-4e2f-9b7a-1c5d8e9f0a12\",\"timestamp\":1772719331,\"type\":\"checkout\",\"workstation\":\"BR1-CIRC-01\",\"org\":\"BR1\",\"patron_barcode\":\"21234000001234\",\"barcode\":\"31234000012345\",\"checkout_time\":\"2026-03-05T09:02:11-05:00\",\"due_date\":\"2026-03-19\"}",
        "{\"timestamp\":1772723400,\"type\":\"register\",\"delta\":0,\"user\":{\"card\":{\"barcode\":\"21234000007777\"},\"family_name\":\"Nguyen\",\"first_given_name\":\"Linh\",\"profile\":2,\"home_ou\":4}}",
        "{\"type\":\"in_house_use\",\"timestamp\":\"1772719950\",\"use_time\":\"2026-3-5 15:12:30\",\"count\":\"2\",\"barcode\":\"33000000999\",\"delta\":-12}",
        "2026-03-05 09:12:31 482\tissue\t21234000001234\t31234000012345",
        "2026-03-05 09-20-00 250\tpayment\t21234000001234\t2.50",
    ];

    private const string Alphabet = "{}[]\":,\\ tTzZ0123456789.-+eE\u00e9\u00e0\u4e2d\ud83d\udcdaabcdefghijklmnopqrstuvwxyz_\t\r\n";

    [Fact]
    public async Task Random_bytes_and_mangled_lines_are_all_accounted_for()
    {
        var random = new Random(20260305);
        int refused = 0, parsed = 0, rejected = 0;
        for (var i = 0; i < 2000; i++)
        {
            var bytes = i % 4 == 0 ? RandomBytes(random) : Encoding.UTF8.GetBytes(MangledFile(random, koha: i % 3 == 0));
            var reader = new OfflineFileReader(new MemoryStream(bytes), Upload(delta: random.Next(-600, 600)));
            var outcomes = new List<LineOutcome>();
            try
            {
                await foreach (var outcome in reader.ReadAsync())
                {
                    outcomes.Add(outcome);
                }
            }
            catch (UnreadableFileException)
            {
                refused++;
                continue;
            }
            Assert.Equal(reader.LinesRead, outcomes.Count);
            parsed += outcomes.Count(o => o is LineOutcome.Parsed);
            rejected += outcomes.Count(o => o is LineOutcome.Rejected);
            Assert.Equal(ExpectedLines(bytes, reader.Format == FileFormat.Koha && reader.Warning != KohaNoHeader), outcomes.Count);
            Assert.All(outcomes, o =>
            {
                if (o is LineOutcome.Rejected line)
                {
                    Assert.False(string.IsNullOrWhiteSpace(line.Reason));
                    Assert.True(line.RawText.Length <= TransactionParser.MaxRawTextLength);
                }
                else
                {
                    var parsed = Assert.IsType<LineOutcome.Parsed>(o).Transaction;
                    Assert.Contains(parsed.Type, TransactionTypes.All);
                    Assert.False(string.IsNullOrEmpty(parsed.Key));
                }
            });
        }
        // The inputs must exercise every path: refused files, parsed lines and rejected lines.
        Assert.InRange(refused, 1, 1999);
        Assert.True(parsed > 100, $"parsed {parsed}");
        Assert.True(rejected > 100, $"rejected {rejected}");
    }

    private const string KohaNoHeader = "The Koha file has no header line; it was read as version 1.0.";

    /// <summary>Non-blank lines, minus a Koha header when the file has one.</summary>
    private static int ExpectedLines(byte[] bytes, bool hasKohaHeader)
    {
        var text = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
        var lines = text.Split('\n').Count(l => !string.IsNullOrWhiteSpace(l));
        return hasKohaHeader ? lines - 1 : lines;
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 400)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string MangledFile(Random random, bool koha)
    {
        var text = new StringBuilder();
        if (koha && random.Next(3) > 0)
        {
            text.Append(random.Next(4) == 0 ? "Version=9.9\tGenerator=x" : "Version=1.0\tGenerator=kolt\tGeneratorVersion=0.1").Append("\r\n");
        }
        var count = random.Next(0, 12);
        for (var i = 0; i < count; i++)
        {
            text.Append(Mangle(random, Seeds[random.Next(koha ? 3 : 0, koha ? Seeds.Length : 3)])).Append(random.Next(2) == 0 ? "\n" : "\r\n");
        }
        return text.ToString();
    }

    private static string Mangle(Random random, string line)
    {
        var chars = new StringBuilder(line);
        var edits = random.Next(0, 6);
        for (var e = 0; e < edits && chars.Length > 0; e++)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(4))
            {
                case 0:
                    chars.Remove(at, 1);
                    break;
                case 1:
                    chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2:
                    chars[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                default:
                    chars.Remove(at, Math.Min(chars.Length - at, random.Next(1, 20)));
                    break;
            }
        }
        // Keep surrogate pairs whole so the text stays valid UTF-8; lone halves are tested as random bytes.
        return new string(chars.ToString().Where((c, i) => !char.IsSurrogate(c) || IsPaired(chars, i)).ToArray());
    }

    private static bool IsPaired(StringBuilder s, int i) =>
        char.IsHighSurrogate(s[i]) ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])
            : i > 0 && char.IsHighSurrogate(s[i - 1]);
}
