using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Sessions;

/// <summary>The real app over one database with a small consortium, workstations, people of each role and their tokens.</summary>
public sealed class IntakeApp : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();
    public AppFactory App { get; private set; } = null!;
    public TestOrgs Orgs { get; private set; } = null!;
    public string AdminToken { get; private set; } = "";
    public string StaffToken { get; private set; } = "";
    public string AuditorToken { get; private set; } = "";
    public string OtherAdminToken { get; private set; } = "";

    public const int MaxUploadBytes = 200_000;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        App = new AppFactory(Database).With("Intake:MaxUploadBytes", MaxUploadBytes.ToString());
        _ = App.Server;
        await using (var db = App.CreateContext())
        {
            Orgs = await TestOrgs.CreateAsync(db);
            db.Workstations.AddRange(
                new Workstation { Name = "BR1-CIRC-01", OrgUnitId = Orgs.Br1.Id, RegisteredAt = DateTimeOffset.UtcNow },
                new Workstation { Name = "BR1-CIRC-02", OrgUnitId = Orgs.Br1.Id, RegisteredAt = DateTimeOffset.UtcNow },
                new Workstation { Name = "BR3-CIRC-01", OrgUnitId = Orgs.Br3.Id, RegisteredAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        await TestOrgs.CreateUserAsync(App.Services, "admin.sys1@test.example", Roles.Administrator, Orgs.Sys1);
        await TestOrgs.CreateUserAsync(App.Services, "staff.br1@test.example", Roles.Staff, Orgs.Br1);
        await TestOrgs.CreateUserAsync(App.Services, "auditor.sys1@test.example", Roles.Auditor, Orgs.Sys1);
        await TestOrgs.CreateUserAsync(App.Services, "admin.sys2@test.example", Roles.Administrator, Orgs.Sys2);
        AdminToken = await TokenAsync("admin.sys1@test.example");
        StaffToken = await TokenAsync("staff.br1@test.example");
        AuditorToken = await TokenAsync("auditor.sys1@test.example");
        OtherAdminToken = await TokenAsync("admin.sys2@test.example");
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }

    public Task<string> TokenAsync(string email, string password = TestOrgs.Password) => App.TokenAsync(email, password);

    public HttpClient Client(string token) => PortalClient.WithToken(App, token);

    public async Task<long> CreateSessionAsync(string org = "BR1", string? token = null)
    {
        using var client = Client(token ?? AdminToken);
        var response = await client.PostAsJsonAsync("/api/sessions", new { org, description = "Outage " + Guid.NewGuid().ToString("N")[..6] });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Created>())!.Id;
    }

    public async Task<HttpResponseMessage> UploadAsync(long sessionId, string content, string workstation = "BR1-CIRC-01", string? token = null, int delta = 0, string fileName = "pending.jsonl") =>
        await UploadBytesAsync(sessionId, Encoding.UTF8.GetBytes(content), workstation, token, delta, fileName);

    public async Task<HttpResponseMessage> UploadBytesAsync(long sessionId, byte[] content, string workstation = "BR1-CIRC-01", string? token = null, int delta = 0, string fileName = "pending.jsonl")
    {
        using var client = Client(token ?? StaffToken);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(workstation), "workstation" },
            { new StringContent(delta.ToString()), "delta" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await client.PostAsync($"/api/sessions/{sessionId}/files", form);
    }

    public sealed record Created(long Id);
}

public sealed record UploadAnswer(long FileId, long SessionId, string Format, string? Warning, int LinesRead, int Stored, int Duplicates, int Rejected,
    List<DuplicateAnswer> DuplicateLines, List<RejectedAnswer> RejectedLines, List<string> StoredKeys);

public sealed record DuplicateAnswer(int Line, string Key, long OriginalSessionId, long OriginalFileId, int OriginalLine);

public sealed record RejectedAnswer(int Line, string Reason);
