namespace Sustain.Web.Organisations;

public enum OrgTab
{
    Overview,
    Dependencies,
    Projects,
    Risks,
    Settings,
    Members,
    Tokens,
}
