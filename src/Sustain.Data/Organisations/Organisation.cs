namespace Sustain.Data.Organisations;

public class Organisation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The organisation's name in URLs and the API: lower case letters, digits and hyphens.</summary>
    public required string Slug { get; set; }

    public required string Name { get; set; }

    /// <summary>Declared number of developers: the base of the suggested budget.</summary>
    public int DeveloperHeadcount { get; set; }

    public string? Description { get; set; }

    public string? Website { get; set; }

    /// <summary>Named on public leaderboards only when true; otherwise counted anonymously.</summary>
    public bool LeaderboardOptIn { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public List<Membership> Members { get; set; } = [];

    public List<Product> Products { get; set; } = [];
}

public enum OrganisationRole
{
    Member = 0,
    Admin = 1,
    Owner = 2,
}

public class Membership
{
    public Guid OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }

    public required string UserId { get; set; }

    public OrganisationRole Role { get; set; }

    public DateTimeOffset JoinedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>An invitation link; only a hash of its secret is stored.</summary>
public class Invitation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganisationId { get; set; }

    public required string TokenHash { get; set; }

    public OrganisationRole Role { get; set; }

    public required string CreatedByUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public string? AcceptedByUserId { get; set; }

    /// <summary>Set when an admin withdraws the link; a revoked invitation admits nobody.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}

[Flags]
public enum ApiTokenScopes
{
    None = 0,
    SbomsWrite = 1,
    SbomsRead = 2,
}

/// <summary>An organisation's token for CI. Shown once; only its SHA-256 is stored.</summary>
public class ApiToken
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganisationId { get; set; }

    public required string Name { get; set; }

    /// <summary>The first characters of the token, so a user can tell tokens apart.</summary>
    public required string Prefix { get; set; }

    public required string Hash { get; set; }

    public ApiTokenScopes Scopes { get; set; }

    public required string CreatedByUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

public class Product
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }

    public required string Slug { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The latest successfully processed upload: the product's current SBOM.</summary>
    public Guid? CurrentUploadId { get; set; }
}
