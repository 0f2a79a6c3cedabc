// Original file: protos/chat.proto


export interface ListRoomsRequest {
}

export interface ListRoomsRequest__Output {
}
