using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace OfflineCirc.Tests.Sessions;

public class RandomInputTests(IntakeApp app) : IClassFixture<IntakeApp>
{
    private static readonly string[] Seeds =
    [
        """{"id":"8f7c1c6e-0d5b-4a43-9d55-0a6f2b0c1d11","timestamp":1772701200,"type":"checkout","patron_barcode":"21234000000019","barcode":"31234000000017"}""",
        """{"timestamp":"2026-3-5 9:4:7","type":"checkin","barcode":"31234000000017","backdate":"2026-3-4"}""",
        """{"timestamp":1772701200,"type":"register","user":{"card":"21234000000099","family_name":"Doe","first_given_name":"Jo","profile":"Adult","home_ou":"BR1"}}""",
        """{"timestamp":1772701200,"type":"in_house_use","barcode":"31234000000017","count":3}""",
    ];

    [Fact]
    public async Task Mangled_lines_never_cause_a_server_error_and_every_line_is_accounted_for()
    {
        var random = new Random(20261129);
        var session = await app.CreateSessionAsync();
        for (var round = 0; round < 25; round++)
        {
            var lines = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                lines.Add(Mangle(Seeds[random.Next(Seeds.Length)], random));
            }
            var response = await app.UploadAsync(session, string.Join("\n", lines));
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var answer = (await response.Content.ReadFromJsonAsync<UploadAnswer>())!;
                Assert.Equal(answer.LinesRead, answer.Stored + answer.Duplicates + answer.Rejected);
                Assert.Equal(lines.Count(l => l.Trim().Length > 0), answer.LinesRead);
            }
            else
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task Arbitrary_bytes_never_cause_a_server_error()
    {
        var random = new Random(4242);
        var session = await app.CreateSessionAsync();
        for (var round = 0; round < 25; round++)
        {
            var bytes = new byte[random.Next(1, 4000)];
            random.NextBytes(bytes);
            var response = await app.UploadBytesAsync(session, bytes);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"round {round}: {response.StatusCode}");
        }
    }

    private static string Mangle(string line, Random random)
    {
        var sb = new StringBuilder(line);
        var edits = random.Next(0, 4);
        for (var e = 0; e < edits && sb.Length > 0; e++)
        {
            var at = random.Next(sb.Length);
            switch (random.Next(4))
            {
                case 0: sb.Remove(at, 1); break;
                case 1: sb.Insert(at, "\"{}[],:x1é"[random.Next(10)]); break;
                case 2: sb[at] = (char)random.Next(32, 127); break;
                default: sb.Length = at; break;
            }
        }
        return sb.ToString();
    }
}
