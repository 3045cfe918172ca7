using Microsoft.Extensions.Configuration;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Web.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace OfflineCirc.Tests.MultiNode;

/// <summary>`docker compose config` is not available here, so the compose file and the Dockerfile are read as text.</summary>
public class ComposeFileTests
{
    private static readonly Dictionary<object, object> Services = LoadServices();

    [Fact]
    public void Compose_has_a_database_a_web_node_and_a_worker_node()
    {
        Assert.Equal(new[] { "db", "web", "worker" }, Services.Keys.Cast<string>().Order());
        Assert.Equal("web", Environment("web")["Node__Role"]);
        Assert.Equal("worker", Environment("worker")["Node__Role"]);
        foreach (var node in new[] { "web", "worker" })
        {
            Assert.Equal(Environment("web")["ConnectionStrings__Default"], Environment(node)["ConnectionStrings__Default"]);
            var dependsOn = (Dictionary<object, object>)Service(node)["depends_on"];
            Assert.Equal("service_healthy", ((Dictionary<object, object>)dependsOn["db"])["condition"]);
        }
    }

    [Fact]
    public void Only_the_web_node_publishes_a_port_so_workers_scale()
    {
        var ports = Assert.IsType<List<object>>(Service("web")["ports"]);
        Assert.Single(ports);
        Assert.EndsWith(":8080", (string)ports[0]);
        Assert.False(Service("worker").ContainsKey("ports"), "a worker that publishes a host port cannot run twice");
        // A fixed container name would also stop `--scale worker=3`.
        Assert.False(Service("worker").ContainsKey("container_name"));
        Assert.False(Service("db").ContainsKey("ports"));
    }

    [Fact]
    public void Every_service_has_a_health_check_and_the_nodes_probe_readiness()
    {
        foreach (var name in new[] { "db", "web", "worker" })
        {
            var test = string.Join(' ', ((List<object>)((Dictionary<object, object>)Service(name)["healthcheck"])["test"]).Cast<string>());
            Assert.False(string.IsNullOrWhiteSpace(test), name);
            if (name != "db")
            {
                Assert.Contains("/healthz/ready", test);
            }
        }
    }

    [Fact]
    public void The_image_runs_as_a_user_other_than_root()
    {
        var lines = File.ReadAllLines(Path.Combine(AppProcess.RepoRoot(), "Dockerfile"));
        var finalStage = lines.Skip(Array.FindLastIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal))).ToList();
        var user = finalStage.LastOrDefault(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotNull(user);
        Assert.DoesNotContain(user[5..].Trim(), new[] { "root", "0", "0:0" });
    }

    [Theory]
    [InlineData(null, null, NodeRole.Both)]
    [InlineData(null, "false", NodeRole.Web)]
    [InlineData("worker", "false", NodeRole.Worker)]
    [InlineData("Web", null, NodeRole.Web)]
    [InlineData("both", null, NodeRole.Both)]
    public void A_nodes_role_comes_from_Node_Role_or_the_older_Jobs_Server(string? role, string? jobsServer, NodeRole expected)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Node:Role"] = role,
            ["Jobs:Server"] = jobsServer,
        }).Build();
        Assert.Equal(expected, Node.FromConfiguration(config).Role);
    }

    [Fact]
    public void An_unknown_role_is_refused_with_the_allowed_values()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Node:Role"] = "janitor" }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => Node.FromConfiguration(config));
        Assert.Equal("Node:Role is 'janitor'; it must be web, worker or both.", error.Message);
    }

    [Theory]
    [InlineData("worker", null, 10)]
    [InlineData("web", null, 0)]
    [InlineData("both", null, 0)]
    [InlineData("worker", "0", 0)]
    [InlineData("both", " 5 ", 5)]
    public void A_worker_yields_the_machine_unless_Node_Nice_says_otherwise(string role, string? nice, int expected)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Node:Role"] = role, ["Node:Nice"] = nice }).Build();
        Assert.Equal(expected, Niceness.FromConfiguration(config, Node.FromConfiguration(config)));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("20")]
    [InlineData("low")]
    public void A_niceness_outside_0_to_19_is_refused_in_words(string nice)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Node:Role"] = "worker", ["Node:Nice"] = nice }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => Niceness.FromConfiguration(config, Node.FromConfiguration(config)));
        Assert.Equal($"Node:Nice is '{nice}'; it must be a whole number from 0 (the machine's usual priority) to 19 (the lowest).", error.Message);
    }

    private static Dictionary<object, object> Service(string name) => (Dictionary<object, object>)Services[name];

    private static Dictionary<string, string> Environment(string service) =>
        ((Dictionary<object, object>)Service(service)["environment"]).ToDictionary(e => (string)e.Key, e => (string)e.Value);

    private static Dictionary<object, object> LoadServices()
    {
        using var reader = new StringReader(File.ReadAllText(Path.Combine(AppProcess.RepoRoot(), "docker-compose.yml")));
        // Compose's anchors and merge keys (<<: *app) are resolved as compose resolves them.
        var compose = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
        return (Dictionary<object, object>)compose["services"];
    }
}
