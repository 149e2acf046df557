// How the Trello emulator's records look on the wire: the JSON shapes of cards, lists, labels and actions.
import { slug } from './ids.ts';
import type {
  ActionRecord,
  AttachmentRecord,
  BoardRecord,
  CardRecord,
  LabelRecord,
  ListRecord,
  MemberRecord,
  TrelloState,
} from './state.ts';

type Json = Record<string, unknown>;

/** Keeps `id` plus the requested fields; `all` (or no list) keeps everything. */
export function pickFields(object: Json, fields: string | undefined): Json {
  if (!fields || fields === 'all') return object;
  const wanted = new Set(fields.split(',').map((f) => f.trim()));
  return Object.fromEntries(Object.entries(object).filter(([k]) => k === 'id' || wanted.has(k)));
}

export function renderLabel(label: LabelRecord, uses = 0): Json {
  return { id: label.id, idBoard: label.idBoard, name: label.name, color: label.color, uses };
}

export function renderList(list: ListRecord): Json {
  return {
    id: list.id,
    name: list.name,
    closed: list.closed,
    color: null,
    idBoard: list.idBoard,
    pos: list.pos,
    subscribed: false,
    softLimit: null,
    type: null,
    datasource: { filter: false },
  };
}

export function renderMember(member: MemberRecord): Json {
  return {
    id: member.id,
    activityBlocked: false,
    avatarHash: null,
    avatarUrl: null,
    fullName: member.fullName,
    idMemberReferrer: null,
    initials: member.initials,
    nonPublic: {},
    nonPublicAvailable: true,
    username: member.username,
  };
}

export function renderBoard(board: BoardRecord): Json {
  return {
    id: board.id,
    name: board.name,
    desc: '',
    descData: null,
    closed: board.closed,
    idOrganization: null,
    idEnterprise: null,
    pinned: false,
    url: `https://trello.com/b/${board.shortLink}/${slug(board.name)}`,
    shortUrl: `https://trello.com/b/${board.shortLink}`,
    prefs: { permissionLevel: 'private', comments: 'members', cardCovers: true, background: 'blue' },
    labelNames: {
      green: '',
      yellow: '',
      orange: '',
      red: '',
      purple: '',
      blue: '',
    },
  };
}

export function renderCard(card: CardRecord, state: TrelloState): Json {
  const labels = card.idLabels
    .map((id) => state.labels.get(id))
    .filter((l): l is LabelRecord => l !== undefined)
    .map((l) => renderLabel(l));
  const comments = state.commentsOn(card.id).length;
  return {
    id: card.id,
    badges: {
      attachmentsByType: { trello: { board: 0, card: 0 } },
      location: false,
      votes: 0,
      viewingMemberVoted: false,
      subscribed: false,
      fogbugz: '',
      checkItems: 0,
      checkItemsChecked: 0,
      checkItemsEarliestDue: null,
      comments,
      attachments: state.attachments.get(card.id)?.length ?? 0,
      description: card.desc !== '',
      due: null,
      dueComplete: false,
      start: null,
    },
    checkItemStates: [],
    closed: card.closed,
    dueComplete: false,
    dateLastActivity: card.dateLastActivity,
    desc: card.desc,
    descData: { emoji: {} },
    due: null,
    dueReminder: null,
    email: null,
    idBoard: card.idBoard,
    idChecklists: [],
    idList: card.idList,
    idMembers: [],
    idMembersVoted: [],
    idShort: card.idShort,
    idAttachmentCover: state.covers.get(card.id) ?? null,
    labels,
    idLabels: [...card.idLabels],
    manualCoverAttachment: false,
    name: card.name,
    pos: card.pos,
    shortLink: card.shortLink,
    shortUrl: `https://trello.com/c/${card.shortLink}`,
    start: null,
    subscribed: false,
    url: `https://trello.com/c/${card.shortLink}/${card.idShort}-${slug(card.name)}`,
    cover: {
      idAttachment: state.covers.get(card.id) ?? null,
      color: null,
      idUploadedBackground: null,
      size: 'normal',
      brightness: 'dark',
      idPlugin: null,
    },
    isTemplate: false,
    cardRole: null,
  };
}

export function renderAction(action: ActionRecord, state: TrelloState): Json {
  const creator = state.members.get(action.idMemberCreator);
  return {
    id: action.id,
    idMemberCreator: action.idMemberCreator,
    data: action.data,
    appCreator: null,
    type: action.type,
    date: action.date,
    limits: {},
    memberCreator: creator ? renderMember(creator) : null,
  };
}

export function renderAttachment(attachment: AttachmentRecord): Json {
  return {
    id: attachment.id,
    bytes: attachment.bytes?.byteLength ?? null,
    date: attachment.date,
    edgeColor: null,
    idMember: attachment.idMember,
    isMalicious: false,
    isUpload: attachment.isUpload,
    mimeType: attachment.mimeType,
    name: attachment.name,
    previews: [],
    url: attachment.url,
    pos: attachment.pos,
    fileName: attachment.fileName,
  };
}
