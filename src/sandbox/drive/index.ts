// The Google Drive emulator: what tests and the sandbox serve in place of www.googleapis.com/drive/v3.
export {
  DRIVE_API,
  DRIVE_UPLOAD_API,
  DriveEmulator,
  type DriveEmulatorOptions,
  type DriveFileView,
} from './emulator.ts';
export { FOLDER_MIME } from './store.ts';
