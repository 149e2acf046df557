// The review every outgoing email goes through: draft → Trello card → decision → send.
export { type CardEmail, draftlessCardDescription, emailFromCard, reviewCardDescription } from './card.ts';
export { type CardReviewOutcome, type CardReviewRequest, reviewOnCard } from './decide.ts';
export { type Decision, decisionOf, type Feedback, feedbackOf, type ListRole } from './decision.ts';
export {
  type ReviewOutcome,
  type ReviewProgress,
  type ReviewRequest,
  type ReviewServices,
  type ReviewSettings,
  reviewAndSend,
} from './flow.ts';
export { withReviewerComment } from './revision.ts';
