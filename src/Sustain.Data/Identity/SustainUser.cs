using Microsoft.AspNetCore.Identity;

namespace Sustain.Data.Identity;

public class SustainUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>Set when the user signed in with GitHub: the login, as GitHub spells it.</summary>
    public string? GitHubLogin { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
