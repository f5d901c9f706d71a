namespace Sustain.Data.Projects;

/// <summary>A source repository that one or more packages come from, shared by every organisation.</summary>
public class Project
{
    /// <summary><c>github.com/owner/repo</c>, lower case: see <c>Sustain.Core.Projects.ProjectKey</c>.</summary>
    public required string Key { get; set; }

    public required string Host { get; set; }

    /// <summary>The owner, or for a host with nested groups (GitLab) every group but the last.</summary>
    public required string Owner { get; set; }

    public required string Name { get; set; }

    public required string RepositoryUrl { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; } = DateTimeOffset.UtcNow;
}
