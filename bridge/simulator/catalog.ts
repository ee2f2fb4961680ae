// The simulated account: its user, its projects (ids 1001, 1002, ...) and their settings.
// Built once at start-up; everything here is plain data derived from the project count.
import { NO_ANSWER_MESSAGE } from './knowledge';
import type { ChatbotModel, Limits, Project, ProjectSettings, User } from './wire';

export const FIRST_PROJECT_ID = 1001;
const USER_ID = 42;
const TEAM_ID = 7;

export interface Catalog {
  user: User;
  /** Ascending by id (= by creation date). */
  projects: Project[];
  project(id: number): Project | undefined;
  settings(id: number): ProjectSettings | undefined;
  limits(currentQueries: number): Limits;
}

/** Project 1001 is the demo project; 1002 answers with another model so tests can tell them apart. */
function projectName(id: number): string {
  if (id === FIRST_PROJECT_ID) return 'Acme Rocket Docs';
  if (id === FIRST_PROJECT_ID + 1) return 'Acme Rocket Support';
  return `Sample Agent ${id}`;
}

function modelOf(id: number): ChatbotModel {
  if (id === FIRST_PROJECT_ID) return 'gpt-4-o';
  if (id === FIRST_PROJECT_ID + 1) return 'gpt-4-1';
  return 'gpt-4o-mini';
}

/** A stable creation time per project: one day apart, later ids later. */
function createdAt(id: number): string {
  const day = Date.UTC(2024, 0, 15, 9, 30, 0) + (id - FIRST_PROJECT_ID) * 86_400_000;
  return new Date(day).toISOString().slice(0, 19) + '.000000Z';
}

/** A stable 32-hex-digit slug (the document's "md5" format) derived from the id. */
function slug(id: number, salt: string): string {
  let h = 2166136261;
  const s = `${salt}:${id}`;
  let out = '';
  for (let round = 0; out.length < 32; round++) {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ round, 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 32);
}

function buildProject(id: number): Project {
  const shareSlug = slug(id, 'share');
  const at = createdAt(id);
  return {
    id,
    project_name: projectName(id),
    sitemap_path: 'https://docs.acme-rocket.example/sitemap.xml',
    is_chat_active: true,
    user_id: USER_ID,
    team_id: TEAM_ID,
    created_at: at,
    updated_at: at,
    deleted_at: null,
    type: 'SITEMAP',
    is_shared: id === FIRST_PROJECT_ID,
    shareable_slug: shareSlug,
    shareable_link: `https://app.customgpt.ai/projects/${id}/ask-me-anything?embed=1&shareable_slug=${shareSlug}`,
    embed_code: `<div id="customgpt_chat"></div><script src="https://cdn.customgpt.ai/js/embed.js" div_id="customgpt_chat" p_id="${id}" p_key="${shareSlug}"></script>`,
    live_chat_code: `<script src="https://cdn.customgpt.ai/js/chat.js" defer></script><script>window.addEventListener('load', () => { CustomGPT.init({p_id: '${id}', p_key: '${shareSlug}'}) });</script>`,
    are_licenses_allowed: false,
    subdomain_slug: slug(id, 'subdomain'),
  };
}

function buildSettings(id: number): ProjectSettings {
  return {
    chatbot_avatar: 'https://app.customgpt.ai/img/default-avatar.png',
    chatbot_background_type: 'color',
    chatbot_background: '',
    chatbot_background_color: '#F5F5F5',
    default_prompt: 'Ask me anything about Acme Rocket',
    example_questions: ['How do I install Acme Rocket?', 'How do routes work?'],
    response_source: 'own_content',
    chatbot_msg_lang: 'en',
    chatbot_color: '#0B5FFF',
    chatbot_toolbar_color: '#000000',
    persona_instructions:
      id === FIRST_PROJECT_ID
        ? 'You are Rocket Guide, a friendly assistant who answers questions about the Acme Rocket HTTP framework from its documentation.'
        : null,
    citations_answer_source_label_msg: 'Where did this answer come from?',
    citations_sources_label_msg: 'Sources',
    hang_in_there_msg: "Hang in there! I'm thinking..",
    chatbot_siesta_msg: 'Oops! The agent is taking a siesta. Please try again later.',
    is_loading_indicator_enabled: true,
    enable_citations: 3,
    enable_feedbacks: true,
    citations_view_type: 'user',
    image_citation_display: 'default',
    no_answer_message: NO_ANSWER_MESSAGE,
    ending_message: 'Please email us for further support',
    try_asking_questions_msg: 'Try asking these questions...',
    view_more_msg: 'View more',
    view_less_msg: 'View less',
    remove_branding: false,
    private_deployment: false,
    enable_recaptcha_for_public_chatbots: false,
    chatbot_model: modelOf(id),
    is_selling_enabled: false,
    license_slug: null,
    selling_url: null,
    can_share_conversation: false,
    can_export_conversation: false,
    hide_sources_from_responses: false,
    input_field_addendum: null,
    user_avatar_enabled: false,
    spotlight_avatar_enabled: false,
    spotlight_avatar_shape: 'rectangle',
    spotlight_avatar_type: 'default',
    user_avatar_orientation: 'agent-left-user-right',
    chatbot_title: projectName(id),
    chatbot_title_color: '#000000',
    enable_inline_citations_api: false,
    conversation_time_window: false,
    conversation_retention_period: 'year',
    conversation_retention_days: 180,
    use_context_aware_starter_question: false,
    enable_agent_knowledge_base_awareness: true,
    markdown_enabled: true,
  };
}

export function buildCatalog(projectCount: number): Catalog {
  const projects: Project[] = [];
  const settings = new Map<number, ProjectSettings>();
  for (let i = 0; i < projectCount; i++) {
    const id = FIRST_PROJECT_ID + i;
    projects.push(buildProject(id));
    settings.set(id, buildSettings(id));
  }
  const byId = new Map(projects.map((p) => [p.id, p]));
  const joined = createdAt(FIRST_PROJECT_ID - 30);
  return {
    user: {
      id: USER_ID,
      name: 'Demo User',
      email: 'demo@acme-rocket.example',
      current_team_id: TEAM_ID,
      profile_photo_url: 'https://ui-avatars.com/api/?name=D+U&color=7F9CF5&background=EBF4FF',
      created_at: joined,
      updated_at: joined,
    },
    projects,
    project: (id) => byId.get(id),
    settings: (id) => settings.get(id),
    limits: (currentQueries) => ({
      max_projects_num: Math.max(100, projectCount),
      current_projects_num: projectCount,
      max_total_storage_credits: 50_000_000,
      current_total_storage_credits: 1_250_000,
      max_queries: 1_000_000,
      current_queries: currentQueries,
    }),
  };
}
