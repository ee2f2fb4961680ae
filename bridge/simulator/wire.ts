// The CustomGPT.ai data shapes the simulator serves, named after the schemas of
// spec/customgpt-openapi.json (components.schemas.*). Field types follow what the real API
// returns where it and the document disagree (see test/bridge/simulator.test.ts).

/** Laravel serialises timestamps as ISO 8601 with microseconds: "2023-06-25T17:00:31.000000Z". */
export type Timestamp = string;

export interface Project {
  id: number;
  project_name: string;
  sitemap_path: string;
  is_chat_active: boolean;
  user_id: number;
  team_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
  type: 'SITEMAP' | 'URL';
  is_shared: boolean;
  shareable_slug: string | null;
  shareable_link: string | null;
  embed_code: string | null;
  live_chat_code: string | null;
  are_licenses_allowed: boolean;
  subdomain_slug: string | null;
}

/** The subset of ProjectSettings the simulator fills in (every field of it is optional). */
export interface ProjectSettings {
  chatbot_avatar: string;
  chatbot_background_type: string;
  chatbot_background: string;
  chatbot_background_color: string;
  default_prompt: string;
  example_questions: string[];
  response_source: 'default' | 'own_content' | 'openai_content';
  chatbot_msg_lang: string;
  chatbot_color: string;
  chatbot_toolbar_color: string;
  persona_instructions: string | null;
  citations_answer_source_label_msg: string | null;
  citations_sources_label_msg: string | null;
  hang_in_there_msg: string | null;
  chatbot_siesta_msg: string | null;
  is_loading_indicator_enabled: boolean;
  enable_citations: 0 | 1 | 2 | 3;
  enable_feedbacks: boolean;
  citations_view_type: 'user' | 'show' | 'hide';
  image_citation_display: 'default' | 'first_only';
  no_answer_message: string;
  ending_message: string | null;
  try_asking_questions_msg: string | null;
  view_more_msg: string | null;
  view_less_msg: string | null;
  remove_branding: boolean;
  private_deployment: boolean;
  enable_recaptcha_for_public_chatbots: boolean;
  chatbot_model: ChatbotModel;
  is_selling_enabled: boolean;
  license_slug: boolean | null;
  selling_url: string | null;
  can_share_conversation: boolean;
  can_export_conversation: boolean;
  hide_sources_from_responses: boolean;
  input_field_addendum: string | null;
  user_avatar_enabled: boolean;
  spotlight_avatar_enabled: boolean;
  spotlight_avatar_shape: 'circle' | 'rectangle';
  spotlight_avatar_type: 'default' | 'image';
  user_avatar_orientation: string;
  chatbot_title: string | null;
  chatbot_title_color: string | null;
  enable_inline_citations_api: boolean;
  conversation_time_window: boolean;
  conversation_retention_period: 'custom' | 'year' | 'never';
  conversation_retention_days: number;
  use_context_aware_starter_question: boolean;
  enable_agent_knowledge_base_awareness: boolean;
  markdown_enabled: boolean;
}

/** The models the document lists for `chatbot_model` (settings and the message body). */
export const CHATBOT_MODELS = [
  'gpt-4-o',
  'gpt-4-1',
  'gpt-4o-mini',
  'gpt-4-1-mini',
  'claude-3-sonnet',
  'claude-3.5-sonnet',
  'gpt-o4-mini-low',
  'gpt-o4-mini-medium',
  'gpt-o4-mini-high',
] as const;
export type ChatbotModel = (typeof CHATBOT_MODELS)[number];

export const RESPONSE_SOURCES = ['default', 'own_content', 'openai_content'] as const;

export interface Conversation {
  id: number;
  name: string;
  /** Typed string in the document; the real API returns the integer. */
  project_id: number;
  /** Typed string in the document; the real API returns the integer. */
  created_by: number;
  session_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PromptHistory {
  id: number;
  user_id: number;
  user_query: string;
  openai_response: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  conversation_id: number;
  citations: number[];
  metadata: { user_ip: string; user_agent: string; external_id?: string; request_source: string };
  /** Set once someone rated the answer (PUT .../messages/{promptId}/feedback). */
  response_feedback?: ResponseFeedback;
}

export const REACTIONS = ['neutral', 'disliked', 'liked'] as const;
export type Reaction = (typeof REACTIONS)[number];

export interface ResponseFeedback {
  created_at: string;
  updated_at: string;
  user_id: number | null;
  reaction: Reaction;
}

/** GET /projects/{id}/citations/{id}: components.schemas.PageMetadata. */
export interface PageMetadata {
  id: number;
  url: string | null;
  title: string | null;
  description: string | null;
  image: string | null;
}

export interface User {
  id: number;
  name: string;
  email: string;
  current_team_id: number;
  profile_photo_url: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface Limits {
  max_projects_num: number;
  current_projects_num: number;
  max_total_storage_credits: number;
  current_total_storage_credits: number;
  max_queries: number;
  current_queries: number;
}

/** A Laravel LengthAwarePaginator page, as the API serialises it (no `links` array). */
export interface Page<T> {
  current_page: number;
  data: T[];
  first_page_url: string;
  /** null when the page is empty (past the last page). */
  from: number | null;
  last_page: number;
  last_page_url: string;
  /** null on the last page. */
  next_page_url: string | null;
  path: string;
  per_page: number;
  /** null on the first page. */
  prev_page_url: string | null;
  /** null when the page is empty. */
  to: number | null;
  total: number;
}

export function laravelTimestamp(at: Date): Timestamp {
  return at.toISOString().slice(0, 19) + '.000000Z';
}

/** GET /projects/{id}/pages: one item of `data.pages.data` (the document's page schema). */
export interface ProjectPage {
  id: number;
  page_url: string;
  page_url_hash: string;
  project_id: number;
  s3_path: string | null;
  crawl_status: 'ok' | 'queued' | 'failed' | 'n/a' | 'limited';
  index_status: 'ok' | 'queued' | 'failed' | 'n/a' | 'limited';
  is_file: boolean;
  is_refreshable: boolean;
  is_file_kept: boolean;
  filename: string | null;
  filesize: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}
