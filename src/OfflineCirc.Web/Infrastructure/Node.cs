namespace OfflineCirc.Web.Infrastructure;

public enum NodeRole
{
    /// <summary>Portal, API and job dashboard; enqueues runs but runs none.</summary>
    Web,
    /// <summary>A Hangfire server that replays sessions; answers health probes (and the portal, if asked).</summary>
    Worker,
    /// <summary>Both, as one process: the one-command run.</summary>
    Both,
}

/// <summary>What this process is in a deployment of several nodes over one database (docs/adr-008).</summary>
public sealed record Node(NodeRole Role, string Name)
{
    public bool RunsJobs => Role is NodeRole.Worker or NodeRole.Both;

    /// <summary>
    /// `Node:Role` (web, worker or both; default both). The older `Jobs:Server=false` still means web only, when
    /// `Node:Role` is not given. `Node:Name` names the node in the job dashboard and the log (default: host name).
    /// </summary>
    public static Node FromConfiguration(IConfiguration configuration)
    {
        var text = configuration["Node:Role"];
        NodeRole role;
        if (string.IsNullOrWhiteSpace(text))
        {
            role = configuration.GetValue("Jobs:Server", true) ? NodeRole.Both : NodeRole.Web;
        }
        else if (!Enum.TryParse(text.Trim(), ignoreCase: true, out role) || !Enum.IsDefined(role))
        {
            throw new InvalidOperationException($"Node:Role is '{text}'; it must be web, worker or both.");
        }
        var name = configuration["Node:Name"];
        return new Node(role, string.IsNullOrWhiteSpace(name) ? Environment.MachineName : name.Trim());
    }
}
